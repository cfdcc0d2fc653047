package io.villa.producers.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import javax.imageio.ImageIO;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.villa.deid.Pseudonyms;
import io.villa.kafka.KafkaSettings;
import io.villa.kafka.TopicNames;
import io.villa.kafka.embedded.EmbeddedKafkaExtension;
import io.villa.records.DeadLetter;
import io.villa.records.StudyImage;
import io.villa.schemas.Codecs;

/**
 * The DICOMweb follower against a real Orthanc (with its DICOMweb plugin) and a real embedded Kafka broker, with DICOM
 * files written by DCMTK. Skips when Orthanc or DCMTK is not installed (CI installs both).
 */
class DicomWebFollowerIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static final AtomicInteger RUN = new AtomicInteger();
    private static final Pseudonyms PSEUDONYMS =
            Pseudonyms.withKey("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path dir;

    private OrthancProcess orthanc;
    private String images;
    private String deadLetters;
    private String positions;

    @BeforeEach
    void start() {
        assumeTrue(
                OrthancProcess.available(),
                "Orthanc with its DICOMweb plugin is not installed (Debian: orthanc orthanc-dicomweb)");
        assumeTrue(Dcmtk.available(), "DCMTK is not installed (Debian: dcmtk)");
        orthanc = OrthancProcess.start(dir.resolve("orthanc"), false);
        int run = RUN.incrementAndGet();
        images = "it.study-images." + run;
        deadLetters = "it.dead." + run;
        positions = "it.positions." + run;
        KAFKA.broker()
                .createTopics(
                        new TopicNames(images, "it.unused-regions." + run, deadLetters, "it.unused-events." + run), 2);
    }

    @AfterEach
    void stop() {
        if (orthanc != null) {
            orthanc.close();
        }
    }

    @Test
    void monochrome1IsInvertedWindowIsHonouredLargeImagesAreDownscaled() throws Exception {
        int w = 64;
        int h = 32;
        int[] ramp = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                ramp[y * w + x] = x * 4095 / (w - 1);
            }
        }
        upload(Dcmtk.grey16(
                dir,
                "m2",
                w,
                h,
                ramp,
                12,
                "MONOCHROME2",
                Map.of("AccessionNumber", "M2", "Modality", "DX", "ViewPosition", "PA")));
        upload(Dcmtk.grey16(
                dir, "m1", w, h, ramp, 12, "MONOCHROME1", Map.of("AccessionNumber", "M1", "Modality", "DX")));
        upload(Dcmtk.grey16(
                dir,
                "w2",
                w,
                h,
                ramp,
                12,
                "MONOCHROME2",
                Map.of("AccessionNumber", "W2", "Modality", "DX", "WindowCenter", "1000", "WindowWidth", "500")));
        upload(Dcmtk.grey16(
                dir,
                "w1",
                w,
                h,
                ramp,
                12,
                "MONOCHROME1",
                Map.of("AccessionNumber", "W1", "Modality", "DX", "WindowCenter", "1000", "WindowWidth", "500")));
        int[] ramp16 = new int[w * h];
        for (int i = 0; i < ramp16.length; i++) {
            ramp16[i] = (i % w) * 65535 / (w - 1);
        }
        upload(Dcmtk.grey16(
                dir, "s2", w, h, ramp16, 16, "MONOCHROME2", Map.of("AccessionNumber", "S2", "Modality", "CR")));
        upload(Dcmtk.grey16(
                dir, "s1", w, h, ramp16, 16, "MONOCHROME1", Map.of("AccessionNumber", "S1", "Modality", "CR")));
        BufferedImage big = new BufferedImage(1200, 600, BufferedImage.TYPE_BYTE_GRAY);
        upload(Dcmtk.grey8(dir, "big", big, Map.of("AccessionNumber", "BIG", "Modality", "CR")));
        upload(Dcmtk.grey8(
                dir,
                "ct",
                new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY),
                Map.of("AccessionNumber", "CT", "Modality", "CT")));
        assertThat(Dcmtk.dump(dir.resolve("m1.dcm"))).contains("MONOCHROME1", "BitsStored", "12");

        DicomWebFollower.Summary summary = follow(mapper().optMaxSide(256).build(), f -> f);
        assertThat(summary.sent()).isEqualTo(7);
        assertThat(summary.deadLettered()).isZero();
        assertThat(summary.skipped()).isZero(); // the CT was never listed: one QIDO-RS search per modality

        Map<String, StudyImage> byStudy = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : readCommitted(images, 7)) {
            StudyImage image = DicomWebFollower.STUDY_IMAGE.decode(record.value());
            assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(image.getStudyKey());
            byStudy.put(image.getStudyKey(), image);
        }
        StudyImage m2 = byStudy.get(studyKey("M2"));
        assertThat(m2.getModality()).isEqualTo("DX");
        assertThat(m2.getViewPosition()).isEqualTo("PA");
        assertThat(m2.getSource()).isEqualTo("dicomweb");
        int[] plain = row(m2);
        int[] inverted = row(byStudy.get(studyKey("M1")));
        assertThat(plain[0]).isLessThan(5);
        assertThat(plain[w - 1]).isGreaterThan(250);
        for (int x = 0; x < w; x++) {
            assertThat(inverted[x]).as("MONOCHROME1 pixel %d", x).isBetween(254 - plain[x], 256 - plain[x]);
        }
        int[] plain16 = row(byStudy.get(studyKey("S2")));
        int[] inverted16 = row(byStudy.get(studyKey("S1")));
        assertThat(plain16[0]).isLessThan(5);
        assertThat(plain16[w - 1]).isGreaterThan(250);
        for (int x = 0; x < w; x++) {
            assertThat(inverted16[x])
                    .as("16-bit MONOCHROME1 pixel %d", x)
                    .isBetween(254 - plain16[x], 256 - plain16[x]);
        }
        // the DICOM's window (center 1000, width 500): 750 and below black, 1250 and above white, linear between
        int[] windowed = row(byStudy.get(studyKey("W2")));
        int[] windowed1 = row(byStudy.get(studyKey("W1")));
        for (int x = 0; x < w; x++) {
            int value = x * 4095 / (w - 1);
            double expected = Math.max(0, Math.min(255, (value - 750) * 255.0 / 500));
            assertThat((double) windowed[x])
                    .as("windowed pixel %d", x)
                    .isCloseTo(expected, org.assertj.core.data.Offset.offset(3.0));
            assertThat(windowed1[x]).isBetween(254 - windowed[x], 256 - windowed[x]);
        }
        StudyImage bigImage = byStudy.get(studyKey("BIG"));
        assertThat(bigImage.getImage().getWidth()).isEqualTo(256);
        assertThat(bigImage.getImage().getHeight()).isEqualTo(128);
        assertThat(byStudy).doesNotContainKey(studyKey("CT")); // not in the default CR,DX
    }

    @Test
    void burnedInAnnotationAndMissingAccessionGoToDeadLettersUnlessAllowed() throws Exception {
        BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
        upload(Dcmtk.grey8(
                dir, "burned", image, Map.of("AccessionNumber", "B1", "Modality", "CR", "BurnedInAnnotation", "YES")));
        upload(Dcmtk.grey8(
                dir, "clean", image, Map.of("AccessionNumber", "C1", "Modality", "CR", "BurnedInAnnotation", "NO")));
        upload(Dcmtk.grey8(dir, "noacc", image, Map.of("Modality", "CR")));

        DicomWebFollower.Summary summary = follow(mapper().build(), f -> f);
        assertThat(summary.sent()).isEqualTo(1);
        assertThat(summary.deadLettered()).isEqualTo(2);
        List<DeadLetter> letters = readCommitted(deadLetters, 2).stream()
                .map(r -> Codecs.DEAD_LETTER.decode(r.value()))
                .toList();
        DeadLetter burned = letters.stream()
                .filter(l -> l.getErrorMessage().contains("BURNED_IN_ANNOTATION"))
                .findFirst()
                .orElseThrow();
        assertThat(burned.getStage()).isEqualTo(DicomWebFollower.STAGE);
        assertThat(StandardCharsets.UTF_8.decode(burned.getOriginalKey()).toString())
                .isEqualTo(studyKey("B1"));
        assertThat(burned.getInput()).startsWith("instance ").hasSize("instance ".length() + 64);
        assertThat(burned.getOriginalValue()).isNull();
        assertThat(letters)
                .anyMatch(l -> l.getErrorMessage().startsWith("NO_ACCESSION_NUMBER") && l.getOriginalKey() == null);

        // the policy switch sends it; a second feed id starts from nothing
        DicomWebFollower.Summary allowed =
                follow(mapper().optAllowBurnedIn(true).build(), f -> f.optFeedId("allowing"));
        assertThat(allowed.sent()).isEqualTo(2);
    }

    @Test
    void aFollowerThatDiesMidFeedAndRestartsSendsEveryInstanceExactlyOnce() throws Exception {
        int count = 30;
        Set<String> expected = new java.util.HashSet<>();
        for (int i = 0; i < count; i++) {
            BufferedImage image = new BufferedImage(24, 24, BufferedImage.TYPE_BYTE_GRAY);
            image.getRaster().setSample(i % 24, i % 24, 0, 200);
            Path file = Dcmtk.grey8(
                    dir,
                    "i" + i,
                    image,
                    Map.of("AccessionNumber", "R" + (i / 2), "Modality", i % 3 == 0 ? "DX" : "CR"));
            upload(file);
            expected.add(PSEUDONYMS.of("instance", sopInstanceUid(file)));
        }
        StudyImageMapper mapper = mapper().build();
        DicomWebFollower first = follower(mapper, f -> f.optBatchSize(4));
        first.crashAfter(10);
        assertThatThrownBy(first::run).isInstanceOf(DicomWebFollower.SimulatedCrash.class);
        first.abandon(); // its producer stays open with a transaction in flight, as after a kill

        DicomWebFollower second = follower(mapper, f -> f.optBatchSize(4));
        DicomWebFollower.Summary resumed;
        try {
            resumed = second.run();
        } finally {
            second.close();
        }
        first.close(); // fenced by now: closing it changes nothing
        assertThat(resumed.sent()).isLessThan(count).isGreaterThanOrEqualTo(count - 10);
        assertThat(resumed.positionSize()).isEqualTo(count);

        Map<String, Integer> seen = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : readCommitted(images, count)) {
            seen.merge(DicomWebFollower.STUDY_IMAGE.decode(record.value()).getInstanceKey(), 1, Integer::sum);
        }
        assertThat(seen.keySet()).isEqualTo(expected);
        assertThat(seen.values()).allMatch(n -> n == 1);

        // a third start finds nothing new
        DicomWebFollower.Summary again = follow(mapper, f -> f.optBatchSize(4));
        assertThat(again.sent()).isZero();
        assertThat(again.positionSize()).isEqualTo(count);
    }

    @Test
    void plantedIdentifiersNeverReachATopicOrALogLine() throws Exception {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logs.start();
        root.addAppender(logs);
        Map<String, String> planted = new LinkedHashMap<>();
        planted.put("PatientName", "Plantedname^Zebulon");
        planted.put("PatientID", "PID778812");
        planted.put("PatientBirthDate", "19430512");
        planted.put("AccessionNumber", "ACC5550199");
        planted.put("StudyInstanceUID", "1.2.826.0.1.3680043.8.498.77712");
        planted.put("SeriesInstanceUID", "1.2.826.0.1.3680043.8.498.77713");
        planted.put("SOPInstanceUID", "1.2.826.0.1.3680043.8.498.77714");
        planted.put("StudyDate", "20240229");
        planted.put("InstitutionName", "Saint Planted Hospital");
        planted.put("ImageComments", "call 555-0199");
        planted.put("Modality", "CR");
        Map<String, String> burned = new LinkedHashMap<>(planted);
        burned.put("SOPInstanceUID", "1.2.826.0.1.3680043.8.498.77715");
        burned.put("AccessionNumber", "ACC5550200");
        burned.put("BurnedInAnnotation", "YES");
        Map<String, String> unrenderable = new LinkedHashMap<>(planted);
        unrenderable.put("SOPInstanceUID", "1.2.826.0.1.3680043.8.498.77716");
        unrenderable.put("AccessionNumber", "ACC5550201");
        try {
            BufferedImage image = new BufferedImage(20, 20, BufferedImage.TYPE_BYTE_GRAY);
            Path sent = Dcmtk.grey8(dir, "phi", image, planted);
            assertThat(Dcmtk.dump(sent)).contains("Plantedname^Zebulon", "ACC5550199");
            upload(sent);
            upload(Dcmtk.grey8(dir, "phiburned", image, burned));
            DicomWebFollower.Summary summary =
                    follow(mapper().optSimulatorTruth(true).build(), f -> f);
            assertThat(summary.sent()).isEqualTo(1);
            assertThat(summary.deadLettered()).isEqualTo(1);
        } finally {
            root.detachAppender(logs);
        }
        List<byte[]> raw = new ArrayList<>();
        for (String topic : List.of(images, deadLetters, positions)) {
            for (ConsumerRecord<byte[], byte[]> record : readAll(topic)) {
                if (record.key() != null) {
                    raw.add(record.key());
                }
                if (record.value() != null) {
                    raw.add(record.value());
                }
            }
        }
        assertThat(raw).hasSizeGreaterThanOrEqualTo(3);
        StringBuilder logText = new StringBuilder();
        for (ILoggingEvent event : logs.list) {
            logText.append(event.getFormattedMessage()).append('\n');
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                logText.append(t.getMessage()).append('\n');
            }
        }
        assertThat(logText.toString()).contains("dead-lettered");
        List<String> needles = new ArrayList<>(planted.values());
        needles.addAll(List.of("Plantedname", "Zebulon", "ACC5550200", "1.2.826.0.1.3680043.8.498.77715", "555-0199"));
        needles.remove("CR");
        for (String needle : needles) {
            byte[] bytes = needle.getBytes(StandardCharsets.UTF_8);
            for (byte[] record : raw) {
                assertThat(indexOf(record, bytes))
                        .as("'%s' in a record", needle)
                        .isEqualTo(-1);
            }
            assertThat(logText.toString()).as("'%s' in the logs", needle).doesNotContain(needle);
        }
    }

    @Test
    void aPacsThatIsDownMarksNothingAndABoundedRunGivesUpAfterThreePasses() throws Exception {
        upload(Dcmtk.grey8(
                dir,
                "one",
                new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY),
                Map.of("AccessionNumber", "D1", "Modality", "CR")));
        String url = orthanc.dicomWebUrl();
        orthanc.close();
        orthanc = null;
        try (DicomWebFollower follower = DicomWebFollower.builder()
                .setClient(new DicomWebClient(URI.create(url), DicomWebAuth.none(), Duration.ofSeconds(2)))
                .setMapper(mapper().build())
                .setKafka(KAFKA.broker().settings())
                .setImagesTopic(images)
                .setDeadLettersTopic(deadLetters)
                .optPositionsTopic(positions)
                .optPollInterval(Duration.ofMillis(50))
                .optBounded(true)
                .build()) {
            assertThatThrownBy(follower::run)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("three passes")
                    .hasMessageContaining("QIDO-RS search");
            assertThat(follower.summary().positionSize()).isZero();
        }
        assertThat(readAll(images)).isEmpty();
        assertThat(readAll(deadLetters)).isEmpty();
    }

    // --- helpers

    private StudyImageMapper.Builder mapper() {
        return StudyImageMapper.builder().setPseudonyms(PSEUDONYMS);
    }

    private DicomWebFollower follower(
            StudyImageMapper mapper, Function<DicomWebFollower.Builder, DicomWebFollower.Builder> options) {
        DicomWebFollower.Builder builder = DicomWebFollower.builder()
                .setClient(new DicomWebClient(
                        URI.create(orthanc.dicomWebUrl()), DicomWebAuth.none(), Duration.ofSeconds(30)))
                .setMapper(mapper)
                .setKafka(KAFKA.broker().settings())
                .setImagesTopic(images)
                .setDeadLettersTopic(deadLetters)
                .optPositionsTopic(positions)
                .optPollInterval(Duration.ofMillis(100))
                .optBounded(true);
        return options.apply(builder).build();
    }

    private DicomWebFollower.Summary follow(
            StudyImageMapper mapper, Function<DicomWebFollower.Builder, DicomWebFollower.Builder> options)
            throws InterruptedException {
        try (DicomWebFollower follower = follower(mapper, options)) {
            return follower.run();
        }
    }

    private void upload(Path file) {
        orthanc.upload(file);
    }

    private static String studyKey(String accession) {
        return PSEUDONYMS.of("accession", accession);
    }

    private static String sopInstanceUid(Path file) {
        for (String line : Dcmtk.dump(file).split("\n")) {
            if (line.startsWith("(0008,0018)")) {
                return line.substring(line.indexOf('[') + 1, line.indexOf(']'));
            }
        }
        throw new IllegalStateException("no SOPInstanceUID in " + file);
    }

    private static int[] row(StudyImage image) throws Exception {
        byte[] png = new byte[image.getImage().getData().remaining()];
        image.getImage().getData().duplicate().get(png);
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(png));
        int[] row = new int[decoded.getWidth()];
        decoded.getRaster().getSamples(0, decoded.getHeight() / 2, row.length, 1, 0, row);
        return row;
    }

    private static List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic, int atLeast) {
        List<ConsumerRecord<byte[], byte[]>> records = readAll(topic);
        assertThat(records).hasSizeGreaterThanOrEqualTo(atLeast);
        return records;
    }

    /** Every committed record of the topic, by an independent read_committed consumer. */
    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        KafkaSettings settings = KAFKA.broker().settings();
        Map<String, Object> config = settings.consumerConfig("it-reader-" + topic);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
