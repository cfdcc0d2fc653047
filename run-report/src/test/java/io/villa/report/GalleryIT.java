package io.villa.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.villa.kafka.TopicAdmin;
import io.villa.kafka.embedded.EmbeddedKafkaBroker;
import io.villa.records.Box;
import io.villa.records.Image;
import io.villa.records.ImageFormat;
import io.villa.records.RegionAttributePair;
import io.villa.records.Split;
import io.villa.schemas.Codecs;

/** The gallery against a real (embedded, KRaft) broker and real Avro records. */
class GalleryIT {

    private static final String TOPIC = "villa.region-attribute-pairs";
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static EmbeddedKafkaBroker broker;
    private static RecordMetadata badRecord;
    private static final ListAppender<ILoggingEvent> LOGS = new ListAppender<>();

    @BeforeAll
    static void writeTheTopic() throws Exception {
        ((Logger) LoggerFactory.getLogger(Gallery.class)).addAppender(LOGS);
        LOGS.start();
        broker = EmbeddedKafkaBroker.start();
        try (TopicAdmin admin = new TopicAdmin(broker.settings())) {
            admin.createIfMissing(List.of(TOPIC), 2, (short) 1);
        }
        Map<String, Object> config = broker.settings().transactionalProducerConfig("gallery-test");
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            pair(producer, "train-1", Split.TRAIN, true);
            pair(producer, "test-1", Split.TEST, true);
            pair(producer, "val-1", Split.VAL, true);
            Future<RecordMetadata> bad = producer.send(new ProducerRecord<>(
                    TOPIC,
                    "test-x",
                    "the report says: seven in red".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            pair(producer, "train-2", Split.TRAIN, true);
            pair(producer, "test-2", Split.TEST, true);
            pair(producer, "test-no-whole-image", Split.TEST, false);
            producer.commitTransaction();
            badRecord = bad.get();
            // an aborted transaction is never seen by a read_committed reader
            producer.beginTransaction();
            pair(producer, "test-aborted", Split.TEST, true);
            producer.flush();
            producer.abortTransaction();
        }
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
        ((Logger) LoggerFactory.getLogger(Gallery.class)).detachAppender(LOGS);
    }

    @Test
    void testImagesComeFirstThenValidationThenTrain() {
        List<GalleryImage> three = Gallery.collect(broker.settings(), TOPIC, 3, TIMEOUT);
        List<GalleryImage> all = Gallery.collect(broker.settings(), TOPIC, 10, TIMEOUT);

        assertThat(three).extracting(GalleryImage::split).containsExactly("TEST", "TEST", "VAL");
        assertThat(three).extracting(GalleryImage::pairId).containsExactlyInAnyOrder("test-1", "test-2", "val-1");
        assertThat(all).extracting(GalleryImage::split).containsExactly("TEST", "TEST", "VAL", "TRAIN", "TRAIN");
        assertThat(all)
                .extracting(GalleryImage::pairId)
                .as("only complete, committed images")
                .doesNotContain("test-no-whole-image", "test-aborted", "test-x");
    }

    @Test
    void eachImageHasItsWholeImageAndItsRegions() {
        List<GalleryImage> images = Gallery.collect(broker.settings(), TOPIC, 10, TIMEOUT);

        assertThat(images).hasSize(5);
        for (GalleryImage image : images) {
            assertThat(image.image()).as(image.pairId()).isEqualTo(wholePng(image.pairId()));
            assertThat(Fixtures.decode(image.image()).getWidth()).isEqualTo(84);
            assertThat(image.width()).isEqualTo(84);
            assertThat(image.regions())
                    .as("regions with an assigned attribute, by index")
                    .extracting(GalleryImage.Region::index)
                    .containsExactly(1, 5);
            GalleryImage.Region first = image.regions().get(0);
            assertThat(first.box()).isEqualTo(Fixtures.cell(1));
            assertThat(first.attributes()).containsExactly("three", "green");
            assertThat(first.groundTruth()).containsExactly("three", "green", "circle");
            assertThat(first.missed()).containsExactly("circle");
            assertThat(first.scores()).containsEntry("three", (double) 0.75f);
            GalleryImage.Region second = image.regions().get(1);
            assertThat(second.wrong()).containsExactly("blue");
            assertThat(second.hasGroundTruth()).isTrue();
        }
    }

    @Test
    void anUndecodableRecordIsSkippedWithAWarningThatSaysWhereOnly() {
        LOGS.list.clear();

        List<GalleryImage> images = Gallery.collect(broker.settings(), TOPIC, 10, TIMEOUT);

        assertThat(images).hasSize(5);
        List<String> warnings = LOGS.list.stream()
                .filter(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN)
                .map(ILoggingEvent::getFormattedMessage)
                .toList();
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0))
                .contains(TOPIC + "-" + badRecord.partition())
                .contains("offset " + badRecord.offset())
                .doesNotContain("seven")
                .doesNotContain("report");
    }

    @Test
    void aMissingTopicGivesAnEmptyGallery() {
        assertThat(Gallery.collect(broker.settings(), "no-such-topic", 5, Duration.ofSeconds(5)))
                .isEmpty();
        assertThat(Gallery.collect(broker.settings(), TOPIC, 0, TIMEOUT)).isEmpty();
    }

    /** A whole-image record, then two regions with attributes and one without (which the gallery leaves out). */
    private static void pair(
            KafkaProducer<String, byte[]> producer, String pairId, Split split, boolean withWholeImage) {
        List<RegionAttributePair> records = new ArrayList<>();
        if (withWholeImage) {
            records.add(record(
                    pairId,
                    -1,
                    true,
                    new Box(0, 0, 84, 84),
                    wholePng(pairId),
                    split,
                    List.of("three", "green", "nine", "blue"),
                    null));
        }
        records.add(record(
                pairId,
                1,
                false,
                box(1),
                Fixtures.png(0),
                split,
                List.of("three", "green"),
                List.of("three", "green", "circle")));
        records.add(record(pairId, 3, false, box(3), Fixtures.png(0), split, List.of(), List.of("four", "red")));
        records.add(record(
                pairId, 5, false, box(5), Fixtures.png(0), split, List.of("nine", "blue"), List.of("nine", "purple")));
        for (RegionAttributePair r : records) {
            producer.send(new ProducerRecord<>(TOPIC, pairId, Codecs.REGION_ATTRIBUTE_PAIR.encode(r)));
        }
    }

    private static RegionAttributePair record(
            String pairId,
            int index,
            boolean whole,
            Box box,
            byte[] png,
            Split split,
            List<String> attributes,
            List<String> truth) {
        java.util.Map<String, Float> scores = new java.util.LinkedHashMap<>();
        attributes.forEach(a -> scores.put(a, 0.75f));
        return RegionAttributePair.newBuilder()
                .setPairId(pairId)
                .setRegionIndex(index)
                .setWholeImage(whole)
                .setBox(box)
                .setRegionImage(Image.newBuilder()
                        .setData(ByteBuffer.wrap(png))
                        .setFormat(ImageFormat.PNG)
                        .setWidth(box.getWidth())
                        .setHeight(box.getHeight())
                        .build())
                .setAttributes(new ArrayList<>(attributes))
                .setText(String.join(" . ", attributes))
                .setScores(new java.util.HashMap<>(scores))
                .setModelVersion(3)
                .setSplit(split)
                .setGroundTruth(truth == null ? null : new ArrayList<>(truth))
                .setEventTime(java.time.Instant.ofEpochMilli(1_700_000_000_000L))
                .build();
    }

    private static Box box(int cell) {
        GalleryImage.Box b = Fixtures.cell(cell);
        return new Box(b.x(), b.y(), b.width(), b.height());
    }

    /** A different picture per pair, so a mix-up of whole images would show. */
    private static byte[] wholePng(String pairId) {
        return Fixtures.png(1, 5, Math.floorMod(pairId.hashCode(), 9));
    }
}
