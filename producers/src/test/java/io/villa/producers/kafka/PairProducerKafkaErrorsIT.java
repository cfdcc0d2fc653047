package io.villa.producers.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.villa.kafka.AvroKafkaDeserializer;
import io.villa.kafka.DeadLetterPublisher;
import io.villa.kafka.FatalKafkaException;
import io.villa.kafka.KafkaSettings;
import io.villa.kafka.TopicNames;
import io.villa.kafka.embedded.EmbeddedKafkaExtension;
import io.villa.records.DeadLetter;
import io.villa.records.Image;
import io.villa.records.ImageFormat;
import io.villa.records.ImageReportPair;
import io.villa.records.Split;
import io.villa.schemas.Codecs;

/**
 * Kafka's errors sorted by kind, on a real broker: a record's own error (too large for the broker) is a dead letter and
 * the run goes on; a producer-level error (the producer fenced by another with its transactional id) stops the run
 * with one message, before the remaining attempts, and writes no dead letter for them.
 */
class PairProducerKafkaErrorsIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @Test
    void aRecordTooLargeForTheBrokerIsADeadLetterAndTheRunGoesOn() throws Exception {
        TopicNames topics = new TopicNames(
                "record-error.pairs", "record-error.regions", "record-error.dead", "record-error.events");
        KAFKA.broker().createTopics(topics, 1);
        // the broker takes about 1 MiB per record; the producer allows 8 MiB, so the broker is the one that refuses
        List<Attempt> attempts = List.of(pair("small-1", 100), pair("huge", 1_500_000), pair("small-2", 100));

        ProduceSummary summary;
        try (PairProducer producer = new PairProducer(
                KAFKA.broker().settings(), topics.imageReportPairs(), topics.deadLetters(), "produce.test")) {
            summary = producer.run(attempts.iterator(), new PairProducer.RunOptions("test", 0, 3, false));
        }

        assertThat(summary.sent()).isEqualTo(2);
        assertThat(summary.deliveryFailures()).isEqualTo(1);
        List<DeadLetter> letters = deadLetters(topics.deadLetters(), 1);
        assertThat(letters).hasSize(1);
        assertThat(letters.get(0).getInput()).isEqualTo("huge");
        assertThat(letters.get(0).getErrorClass()).isEqualTo("org.apache.kafka.common.errors.RecordTooLargeException");
    }

    @Test
    void aFencedProducerStopsTheRunWithOneMessageAndNoDeadLetters() throws Exception {
        TopicNames topics = new TopicNames("fatal.pairs", "fatal.regions", "fatal.dead", "fatal.events");
        KAFKA.broker().createTopics(topics, 1);
        KafkaSettings settings = KAFKA.broker().settings();
        Map<String, Object> config = settings.transactionalProducerConfig("pair-producer-fenced");
        KafkaProducer<String, byte[]> fenced =
                new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        fenced.initTransactions();
        fenced.beginTransaction();
        try (KafkaProducer<String, byte[]> successor =
                new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            successor.initTransactions(); // same transactional id, newer epoch: the broker now refuses the first
            // producer
        }
        int total = 500;
        AtomicInteger drawn = new AtomicInteger();
        Iterator<Attempt> attempts = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return drawn.get() < total;
            }

            @Override
            public Attempt next() {
                return pair("pair-" + drawn.incrementAndGet(), 100);
            }
        };

        FatalKafkaException stopped;
        try (PairProducer producer = new PairProducer(
                fenced,
                new DeadLetterPublisher(settings, topics.deadLetters()),
                topics.imageReportPairs(),
                "produce.test")) {
            // 100 attempts a second: the whole feed would take 5 s; the first refusal comes back long before
            stopped = catchThrowableOfType(
                    FatalKafkaException.class,
                    () -> producer.run(attempts, new PairProducer.RunOptions("test", 100, total, false)));
        }

        assertThat(stopped).as("the run stops with a FatalKafkaException").isNotNull();
        assertThat(stopped.getMessage())
                .matches("produce\\.test stopped: Kafka failed with \\w+Exception.*")
                .contains("Nothing after it was sent or dead-lettered");
        assertThat(drawn.get()).as("attempts drawn before the run stopped").isLessThan(total);
        assertThat(endOffset(topics.deadLetters())).as("dead letters written").isZero();
    }

    private static Attempt pair(String id, int imageBytes) {
        byte[] data = new byte[imageBytes];
        new Random(imageBytes).nextBytes(data); // incompressible, so the broker sees the full size
        return Attempt.of(ImageReportPair.newBuilder()
                .setPairId(id)
                .setSource("test")
                .setSplit(Split.TRAIN)
                .setImage(Image.newBuilder()
                        .setData(ByteBuffer.wrap(data))
                        .setFormat(ImageFormat.PNG)
                        .setWidth(1)
                        .setHeight(1)
                        .build())
                .setReport("the digit appears to be red")
                .setEventTime(Instant.ofEpochMilli(0))
                .build());
    }

    private static long endOffset(String topic) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                KAFKA.broker().settings().consumerConfig("end-" + topic),
                new StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            return consumer.endOffsets(List.of(partition)).get(partition);
        }
    }

    private static List<DeadLetter> deadLetters(String topic, int expected) {
        List<DeadLetter> letters = new ArrayList<>();
        try (KafkaConsumer<String, DeadLetter> consumer = new KafkaConsumer<>(
                KAFKA.broker().settings().consumerConfig("it-" + topic),
                new StringDeserializer(),
                new AvroKafkaDeserializer<>(Codecs.DEAD_LETTER))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            int emptyPolls = 0;
            while (System.nanoTime() < deadline && (letters.size() < expected || emptyPolls < 3)) {
                var batch = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, DeadLetter> record : batch) {
                    letters.add(record.value());
                }
                emptyPolls = batch.isEmpty() ? emptyPolls + 1 : 0;
            }
        }
        return letters;
    }
}
