package io.villa.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;

import javax.imageio.ImageIO;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import io.villa.kafka.AvroKafkaDeserializer;
import io.villa.kafka.AvroKafkaSerializer;
import io.villa.kafka.KafkaSettings;
import io.villa.kafka.TopicAdmin;
import io.villa.records.Image;
import io.villa.records.ImageFormat;
import io.villa.records.ImageReportPair;
import io.villa.records.Split;
import io.villa.schemas.Codecs;

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
        try (var producer = new KafkaProducer<>(settings().producerConfig(), new StringSerializer(),
                new AvroKafkaSerializer<>(Codecs.IMAGE_REPORT_PAIR))) {
            for (int i = 0; i < PAIRS; i++) {
                ImageReportPair pair = pair(i, random);
                sent.put(pair.getPairId(), sha256(Codecs.IMAGE_REPORT_PAIR.encode(pair)));
                producer.send(new ProducerRecord<>(topic, pair.getPairId(), pair));
            }
            producer.flush();
        }

        Map<String, String> received = new TreeMap<>();
        int[] duplicates = {0};
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
                }
            }
        }

        assertThat(received).hasSize(PAIRS);
        assertThat(duplicates[0]).isZero();
        assertThat(digest(received)).isEqualTo(digest(sent));
    }

    @Test
    void readCommittedConsumersSeeCommittedTransactionsOnly() throws Exception {
        String topic = newTopic(1);
        Random random = new Random(11);
        try (var producer = new KafkaProducer<>(settings().transactionalProducerConfig("scenario-" + UUID.randomUUID()),
                new StringSerializer(), new AvroKafkaSerializer<>(Codecs.IMAGE_REPORT_PAIR))) {
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

    String newTopic(int partitions) {
        String topic = "scenario-" + UUID.randomUUID();
        try (TopicAdmin admin = new TopicAdmin(settings())) {
            admin.createIfMissing(List.of(topic), partitions, (short) 1);
        }
        return topic;
    }

    KafkaConsumer<String, ImageReportPair> consumer() {
        return new KafkaConsumer<>(settings().consumerConfig("scenario-" + UUID.randomUUID()), new StringDeserializer(),
                new AvroKafkaDeserializer<>(Codecs.IMAGE_REPORT_PAIR));
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

    static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    static String digest(Map<String, String> sortedChecksums) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        sortedChecksums.forEach((id, sum) -> digest.update((id + "=" + sum + "\n").getBytes()));
        return java.util.HexFormat.of().formatHex(digest.digest());
    }
}
