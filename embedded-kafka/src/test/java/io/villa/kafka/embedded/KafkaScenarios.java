package io.villa.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Future;

import javax.imageio.ImageIO;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import io.villa.kafka.DeadLetterPublisher;
import io.villa.kafka.DeadLetters;
import io.villa.kafka.KafkaClients;
import io.villa.kafka.KafkaSettings;
import io.villa.kafka.TopicAdmin;
import io.villa.records.DeadLetter;
import io.villa.records.Image;
import io.villa.records.ImageFormat;
import io.villa.records.ImageReportPair;
import io.villa.records.Split;
import io.villa.schemas.Codecs;
import io.villa.schemas.RecordDecodingException;

/**
 * Broker scenarios written once and run against every broker we support: the embedded KRaft broker
 * (always) and a Kafka Testcontainer (where Docker exists).
 */
abstract class KafkaScenarios {

    static final int PAIRS = 10_000;

    /** Settings for the broker under test. */
    abstract KafkaSettings settings();

    @Test
    void tenThousandImageReportPairsArriveWhole() throws Exception {
        String topic = newTopic(4);
        Map<String, String> sent = new TreeMap<>();
        Random random = new Random(7);
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        try (var producer = KafkaClients.producer(settings(), Codecs.IMAGE_REPORT_PAIR)) {
            for (int i = 0; i < PAIRS; i++) {
                ImageReportPair pair = pair(i, random);
                sent.put(pair.getPairId(), sha256(Codecs.IMAGE_REPORT_PAIR.encode(pair)));
                acks.add(producer.send(new ProducerRecord<>(topic, pair.getPairId(), pair)));
            }
            producer.flush();
        }
        for (var ack : acks) {
            ack.get(); // a send the broker refused fails here, with its reason
        }

        Map<String, String> received = new TreeMap<>();
        int[] duplicates = {0};
        ImageReportPair[] last = {null};
        try (var consumer = consumer()) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (received.size() < PAIRS && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, ImageReportPair> record : consumer.poll(Duration.ofMillis(500))) {
                    assertThat(record.key()).isEqualTo(record.value().getPairId());
                    String previous = received.put(record.key(), sha256(Codecs.IMAGE_REPORT_PAIR.encode(record.value())));
                    if (previous != null) {
                        duplicates[0]++;
                    }
                    last[0] = record.value();
                }
            }
        }

        assertThat(received).hasSize(PAIRS);
        assertThat(duplicates[0]).isZero();
        assertThat(digest(received)).isEqualTo(digest(sent));
        // the bytes that came back are still a PNG any reader can open
        BufferedImage image = ImageIO.read(new java.io.ByteArrayInputStream(bytes(last[0].getImage().getData())));
        assertThat(image.getWidth()).isEqualTo(84);
        assertThat(image.getHeight()).isEqualTo(84);
    }

    @Test
    void readCommittedConsumersSeeCommittedTransactionsOnly() throws Exception {
        String topic = newTopic(1);
        Random random = new Random(11);
        try (var producer = KafkaClients.transactionalProducer(settings(), "scenario-" + UUID.randomUUID(),
                Codecs.IMAGE_REPORT_PAIR)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "aborted", pair(1, random)));
            producer.abortTransaction();
            producer.beginTransaction();
            for (int i = 2; i <= 4; i++) {
                ImageReportPair pair = pair(i, random);
                producer.send(new ProducerRecord<>(topic, pair.getPairId(), pair));
            }
            producer.commitTransaction();
        }

        Map<String, ImageReportPair> received = new HashMap<>();
        try (var consumer = consumer()) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (received.size() < 3 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(300)).forEach(r -> received.put(r.key(), r.value()));
            }
            consumer.poll(Duration.ofSeconds(1)).forEach(r -> received.put(r.key(), r.value()));
        }

        assertThat(received.keySet()).containsExactlyInAnyOrder("pair-2", "pair-3", "pair-4");
    }

    @Test
    void bytesThatAreNotARecordBecomeADeadLetterThatSaysWhereTheyCameFrom() throws Exception {
        String input = newTopic(1);
        String deadLetters = newTopic(1);
        byte[] junk = "not a record".getBytes(StandardCharsets.UTF_8);
        try (var producer = new KafkaProducer<>(settings().producerConfig(), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(input, "pair-1", Codecs.IMAGE_REPORT_PAIR.encode(pair(1, new Random(3)))));
            producer.send(new ProducerRecord<>(input, "pair-2", junk));
        }

        // what every stage does: read raw bytes, decode, send what cannot be decoded to the dead-letter topic
        List<String> decoded = new ArrayList<>();
        try (var consumer = KafkaClients.rawConsumer(settings(), "scenario-" + UUID.randomUUID());
             var publisher = new DeadLetterPublisher(settings(), deadLetters)) {
            consumer.subscribe(List.of(input));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (decoded.size() + publisher.published() < 2 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(300))) {
                    try {
                        decoded.add(Codecs.IMAGE_REPORT_PAIR.decode(record.value()).getPairId());
                    } catch (RecordDecodingException e) {
                        publisher.publish(DeadLetters.forRecord("scenario", record.topic(), record.partition(), record.offset(),
                                record.key().getBytes(StandardCharsets.UTF_8), record.value(), e));
                    }
                }
            }
            publisher.flush();
        }
        assertThat(decoded).containsExactly("pair-1");

        List<DeadLetter> letters = new ArrayList<>();
        try (var consumer = KafkaClients.consumer(settings(), "scenario-" + UUID.randomUUID(), Codecs.DEAD_LETTER)) {
            consumer.subscribe(List.of(deadLetters));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (letters.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(300)).forEach(r -> {
                    assertThat(r.key()).isEqualTo("pair-2");
                    letters.add(r.value());
                });
            }
        }
        assertThat(letters).singleElement().satisfies(letter -> {
            assertThat(letter.getSourceTopic()).isEqualTo(input);
            assertThat(letter.getSourceOffset()).isEqualTo(1L);
            assertThat(letter.getErrorClass()).isEqualTo(RecordDecodingException.class.getName());
            assertThat(letter.getOriginalValue()).isEqualTo(ByteBuffer.wrap(junk));
        });
    }

    String newTopic(int partitions) {
        String topic = "scenario-" + UUID.randomUUID();
        try (TopicAdmin admin = new TopicAdmin(settings())) {
            admin.createIfMissing(List.of(topic), partitions, (short) 1);
        }
        return topic;
    }

    KafkaConsumer<String, ImageReportPair> consumer() {
        return KafkaClients.consumer(settings(), "scenario-" + UUID.randomUUID(), Codecs.IMAGE_REPORT_PAIR);
    }

    /** A pair whose image is a real PNG of 84x84 coloured noise. */
    static ImageReportPair pair(int i, Random random) throws IOException {
        BufferedImage image = new BufferedImage(84, 84, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 84; y += 4) {
            for (int x = 0; x < 84; x += 4) {
                int rgb = random.nextInt(0x1000000);
                for (int dy = 0; dy < 4; dy++) {
                    for (int dx = 0; dx < 4; dx++) {
                        image.setRGB(x + dx, y + dy, rgb);
                    }
                }
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        return ImageReportPair.newBuilder()
                .setPairId("pair-" + i)
                .setSource("scenario")
                .setSplit(Split.TRAIN)
                .setImage(new Image(ByteBuffer.wrap(png.toByteArray()), ImageFormat.PNG, 84, 84))
                .setReport("report " + i)
                .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L + i))
                .build();
    }

    static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    static String digest(Map<String, String> sortedChecksums) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        sortedChecksums.forEach((id, sum) -> digest.update((id + "=" + sum + "\n").getBytes()));
        return java.util.HexFormat.of().formatHex(digest.digest());
    }
}
