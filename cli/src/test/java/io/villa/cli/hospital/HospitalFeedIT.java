package io.villa.cli.hospital;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.villa.deid.Pseudonyms;
import io.villa.flink.join.JoinJob;
import io.villa.flink.join.JoinOptions;
import io.villa.flink.join.StudyJoin;
import io.villa.kafka.FeedTopicNames;
import io.villa.kafka.KafkaSettings;
import io.villa.kafka.TopicAdmin;
import io.villa.kafka.TopicNames;
import io.villa.kafka.embedded.EmbeddedKafkaBroker;
import io.villa.producers.dicomweb.Dcmtk;
import io.villa.producers.dicomweb.DicomWebAuth;
import io.villa.producers.dicomweb.DicomWebClient;
import io.villa.producers.dicomweb.DicomWebFollower;
import io.villa.producers.dicomweb.OrthancProcess;
import io.villa.producers.dicomweb.StudyImageMapper;
import io.villa.producers.hl7.Hl7ReportHandler;
import io.villa.producers.hl7.MllpFrames;
import io.villa.producers.hl7.MllpListener;
import io.villa.records.DeadLetter;
import io.villa.records.ImageReportPair;
import io.villa.schemas.Codecs;
import picocli.CommandLine;

/**
 * The hospital path end to end with real parts: a real Orthanc (DICOMweb) holding DCMTK-written studies with made-up
 * patients, the DICOMweb follower, the HL7 listener on a real MLLP socket, the join job in a Flink MiniCluster and the
 * embedded broker. Checks: every study with a report becomes one pair per image; a report sent before its image
 * pairs; a corrected report makes a new pair version; orphans (an image alone, a report alone) reach the dead-letter
 * topic at their TTL; a restart of the follower and of the listener mid-feed (with a resend, as after a lost ACK)
 * loses and duplicates nothing, checked by pair id with an independent read-committed consumer. Then the PHI scan:
 * every planted name, id, birth date, address, phone number, accession number, message id and UID, searched in the
 * raw bytes of every topic (every record, committed or not, keys, values, headers), in the broker's log files and in
 * every log line: zero hits.
 */
class HospitalFeedIT {

    /** Long enough for a study's image and report to meet across the restarts on a loaded machine. */
    private static final Duration TTL = Duration.ofSeconds(20);

    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @BeforeEach
    void captureLogs() {
        // everything our code logs, even at DEBUG, and the frameworks at the test's levels, is scanned for PHI
        ((Logger) LoggerFactory.getLogger("io.villa")).setLevel(Level.DEBUG);
        logs.start();
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        ((Logger) LoggerFactory.getLogger("io.villa")).setLevel(Level.INFO);
        threads.shutdownNow();
    }

    @Test
    void studiesBecomePairsOrphansDeadLettersRestartsLoseNothingAndNoPhiAnywhere() throws Exception {
        assumeTrue(
                OrthancProcess.available(),
                "Orthanc with its DICOMweb plugin is not installed (Debian: orthanc orthanc-dicomweb)");
        assumeTrue(Dcmtk.available(), "DCMTK is not installed (Debian: dcmtk)");
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Pseudonyms pseudonyms = Pseudonyms.withKey(key);
        FakeHospital hospital = new FakeHospital(dir);

        TopicNames topics = TopicNames.defaults();
        FeedTopicNames feed = FeedTopicNames.defaults();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start().createTopics(topics, 1);
                OrthancProcess orthanc = OrthancProcess.start(dir.resolve("pacs"), false)) {
            KafkaSettings kafka = broker.settings();
            try (TopicAdmin admin = new TopicAdmin(kafka)) {
                admin.createIfMissing(List.of(feed.studyImages(), feed.studyReports()), 1, (short) 1);
            }
            JobClient join = startJoin(broker.bootstrapServers());
            try {
                // half the images are in the PACS at first; the follower is restarted after sending them, and the rest
                // arrive while it is down (a follower that finishes early cannot make the restart come too late)
                List<FakeHospital.Instance> instances = hospital.instances();
                int firstHalf = instances.size() / 2;
                for (FakeHospital.Instance instance : instances.subList(0, firstHalf)) {
                    orthanc.upload(instance.file());
                }
                // a report before its image (study 4) and a report that never gets one (study 6)
                Feed hl7 = new Feed(kafka, pseudonyms, topics, feed);
                hl7.start();
                assertThat(hl7.send(hospital.report(4, "F"))).contains("MSA|AA|");
                assertThat(hl7.send(hospital.report(6, "F"))).contains("MSA|AA|");
                assertThat(hl7.send(hospital.report(1, "F"))).contains("MSA|AA|");

                Following first = follow(orthanc, kafka, pseudonyms, topics, feed);
                await(
                        "the first follower to send the images there are",
                        () -> first.follower.summary().sent() >= firstHalf);
                first.stop();
                long sentByFirst = first.follower.summary().sent();
                assertThat(sentByFirst).as("the restart must come mid-feed").isLessThan(instances.size());
                for (FakeHospital.Instance instance : instances.subList(firstHalf, instances.size())) {
                    orthanc.upload(instance.file());
                }

                // the listener restarts; the sender resends study 4's report (its ACK was "lost") with the same MSH-10
                hl7.restart();
                assertThat(hl7.send(hospital.report(4, "F"))).contains("MSA|AA|");
                assertThat(hl7.send(hospital.report(2, "F"))).contains("MSA|AA|");
                assertThat(hl7.send(hospital.report(3, "F"))).contains("MSA|AA|");

                Following second = follow(orthanc, kafka, pseudonyms, topics, feed);
                await(
                        "the second follower to send the rest",
                        () -> sentByFirst + second.follower.summary().sent()
                                >= hospital.instances().size());

                // version 1 of every joined study, then study 2's correction
                List<String> v1 = hospital.expectedPairIds(pseudonyms, false);
                await(
                        "the version-1 pairs",
                        () -> committedKeys(kafka, topics.imageReportPairs()).size() >= v1.size());
                assertThat(hl7.send(hospital.report(2, "C"))).contains("MSA|AA|");
                List<String> all = hospital.expectedPairIds(pseudonyms, true);
                await(
                        "the corrected pairs",
                        () -> committedKeys(kafka, topics.imageReportPairs()).size() >= all.size());
                await(
                        "the two orphans at their TTL",
                        () -> committed(kafka, topics.deadLetters()).size() >= 2);
                second.stop();
                assertThat(second.follower.summary().deadLettered()).isZero();
                hl7.stop();

                // exactly the pairs expected, each once (an independent read-committed consumer)
                List<ConsumerRecord<String, byte[]>> pairs = committed(kafka, topics.imageReportPairs());
                List<String> ids = pairs.stream().map(ConsumerRecord::key).toList();
                assertThat(ids).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(all);
                for (ConsumerRecord<String, byte[]> record : pairs) {
                    ImageReportPair pair = Codecs.IMAGE_REPORT_PAIR.decode(record.value());
                    assertThat(pair.getPairId()).isEqualTo(record.key());
                    assertThat(pair.getSource()).isEqualTo(StudyJoin.SOURCE);
                    String text = pair.getReport().toString();
                    boolean corrected = pair.getPairId().endsWith("/v2");
                    assertThat(text).as(pair.getPairId()).contains(corrected ? FakeHospital.CORRECTED : "FINDINGS");
                    assertThat(text).doesNotContain(corrected ? "FINDINGS: no" : FakeHospital.CORRECTED);
                    assertThat(pair.getImage().getData().remaining()).isPositive();
                }
                // the orphans: study 5's image and study 6's report, nothing else
                List<DeadLetter> letters = committed(kafka, topics.deadLetters()).stream()
                        .map(r -> Codecs.DEAD_LETTER.decode(r.value()))
                        .toList();
                assertThat(letters)
                        .hasSize(2)
                        .allMatch(l -> l.getStage().toString().equals(StudyJoin.STAGE_ORPHAN));
                assertThat(letters.stream().map(l -> l.getErrorMessage().toString()))
                        .anyMatch(m -> m.startsWith("orphan image"))
                        .anyMatch(m -> m.startsWith("orphan report"));
            } finally {
                join.cancel().get(60, TimeUnit.SECONDS);
            }

            // the PHI scan: every topic's records (aborted ones too), the broker's files, every log line
            List<String> phi = hospital.plantedValues();
            assertThat(phi).hasSizeGreaterThan(40);
            // the scan finds what is there: the PACS's own storage holds every planted DICOM value
            assertThat(PhiScan.files(orthanc.workDir().resolve("storage"), phi))
                    .as("positive control")
                    .isNotEmpty();
            PhiScan.Result topicsScan = PhiScan.topics(kafka, phi);
            assertThat(topicsScan.records()).as("records scanned").isGreaterThan(20);
            assertThat(topicsScan.hits()).as("planted PHI in topics").isEmpty();
            assertThat(PhiScan.files(broker.dataDir(), phi))
                    .as("planted PHI in the broker's files")
                    .isEmpty();
            assertThat(logs.list).isNotEmpty();
            List<String> logHits = new ArrayList<>();
            for (ILoggingEvent event : List.copyOf(logs.list)) {
                String line = event.getFormattedMessage() + " "
                        + (event.getThrowableProxy() == null
                                ? ""
                                : ThrowableProxyUtil.asString(event.getThrowableProxy()));
                PhiScan.find(line, phi).forEach(v -> logHits.add(event.getLoggerName() + ": " + v));
            }
            assertThat(logHits).as("planted PHI in log lines").isEmpty();
        }
    }

    private JobClient startJoin(String bootstrap) throws Exception {
        JoinOptions options = new JoinOptions();
        new CommandLine(options)
                .parseArgs(
                        "--bootstrap",
                        bootstrap,
                        "--ttl",
                        TTL.toSeconds() + "s",
                        "--checkpoint-interval",
                        "500",
                        "--checkpoint-dir",
                        dir.resolve("join-checkpoints").toUri().toString(),
                        "--resume",
                        "none",
                        "--partition-discovery-interval",
                        "600000");
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(JoinJob.localConfiguration(options));
        JoinJob.build(env, options);
        return env.executeAsync(JoinJob.JOB_NAME);
    }

    /** A follower running in its own thread until stopped. */
    private final class Following {
        final DicomWebFollower follower;
        final Future<DicomWebFollower.Summary> run;

        Following(DicomWebFollower follower) {
            this.follower = follower;
            this.run = threads.submit(follower::run);
        }

        void stop() throws Exception {
            follower.stop();
            run.get(60, TimeUnit.SECONDS);
            follower.close();
        }
    }

    private Following follow(
            OrthancProcess orthanc,
            KafkaSettings kafka,
            Pseudonyms pseudonyms,
            TopicNames topics,
            FeedTopicNames feed) {
        StudyImageMapper mapper =
                StudyImageMapper.builder().setPseudonyms(pseudonyms).build();
        // one fetch thread and batches of one: the stop lands between instances, mid-feed
        return new Following(DicomWebFollower.builder()
                .setClient(new DicomWebClient(
                        java.net.URI.create(orthanc.dicomWebUrl()), DicomWebAuth.none(), Duration.ofSeconds(30)))
                .setMapper(mapper)
                .setKafka(kafka)
                .setImagesTopic(feed.studyImages())
                .setDeadLettersTopic(topics.deadLetters())
                .optFetchThreads(1)
                .optBatchSize(1)
                .optPollInterval(Duration.ofMillis(200))
                .build());
    }

    /** The HL7 listener (as villa produce hl7 runs it) and a sender on a real MLLP socket. */
    private static final class Feed {
        private final KafkaSettings kafka;
        private final Pseudonyms pseudonyms;
        private final TopicNames topics;
        private final FeedTopicNames feed;
        private Hl7ReportHandler handler;
        private MllpListener listener;

        Feed(KafkaSettings kafka, Pseudonyms pseudonyms, TopicNames topics, FeedTopicNames feed) {
            this.kafka = kafka;
            this.pseudonyms = pseudonyms;
            this.topics = topics;
            this.feed = feed;
        }

        void start() {
            handler = Hl7ReportHandler.builder()
                    .setKafka(kafka)
                    .setPseudonyms(pseudonyms)
                    .setReportsTopic(feed.studyReports())
                    .setDeadLettersTopic(topics.deadLetters())
                    .build();
            listener = MllpListener.builder()
                    .setPort(0)
                    .optBindAddress(InetAddress.getLoopbackAddress())
                    .setHandler(handler)
                    .build()
                    .start();
        }

        void stop() {
            listener.stop(Duration.ofSeconds(10));
            handler.close();
        }

        void restart() {
            stop();
            start();
        }

        /** Sends one message and returns the ACK. */
        String send(String message) throws Exception {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), listener.port())) {
                socket.setSoTimeout(60_000);
                OutputStream to = socket.getOutputStream();
                InputStream from = socket.getInputStream();
                MllpFrames.write(to, message.getBytes(StandardCharsets.UTF_8));
                return new String(MllpFrames.read(from, 100_000).data(), StandardCharsets.UTF_8);
            }
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(250);
        }
    }

    private static Set<String> committedKeys(KafkaSettings kafka, String topic) {
        Set<String> keys = new HashSet<>();
        committed(kafka, topic).forEach(r -> keys.add(r.key()));
        return keys;
    }

    private static List<ConsumerRecord<String, byte[]>> committed(KafkaSettings kafka, String topic) {
        return PhiScan.readAll(kafka, topic, true).stream()
                .map(r -> new ConsumerRecord<>(
                        r.topic(),
                        r.partition(),
                        r.offset(),
                        r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8),
                        r.value()))
                .toList();
    }

    /** Made-up studies: numbers 1-6, with what the test expects of each. */
    static final class FakeHospital {
        static final String CORRECTED = "CORRECTION: the nodule is in the left upper lobe.";
        /** Images per study: 1 and 2 frontal and lateral, 3-5 one each, 6 none (its report is an orphan). */
        private static final Map<Integer, Integer> IMAGES = Map.of(1, 2, 2, 2, 3, 1, 4, 1, 5, 1, 6, 0);

        private final Map<Integer, FakePatient> patients = new LinkedHashMap<>();
        private final List<Instance> instances = new ArrayList<>();

        record Instance(int study, String sopInstanceUid, Path file) {}

        /** Everything planted about one patient and study. */
        record FakePatient(
                String family,
                String given,
                String mrn,
                String birth,
                String street,
                String city,
                String phone,
                String accession,
                String studyUid,
                String seriesUid) {}

        FakeHospital(Path dir) {
            String[] families = {"QUIXBORNE", "FENWICKLEY", "ARBUTHNOTT", "PELLINGHAM", "DRUMMONDIE", "WHISTLECRAFT"};
            String[] givens = {"Marguerite", "Thaddeus", "Ottoline", "Barnaby", "Clementine", "Percival"};
            for (int s = 1; s <= 6; s++) {
                String root = "1.2.826.0.1.3680043.9.7714." + (40_000 + s);
                patients.put(
                        s,
                        new FakePatient(
                                families[s - 1],
                                givens[s - 1],
                                "MRN" + (7_731_000 + s),
                                "19" + (50 + s) + "0" + s + "1" + s,
                                (100 + s) + " Larkspur" + s + " Lane",
                                "Fernbrook" + s,
                                "555-20" + s + "-77" + s + s,
                                "ACC" + (5_520_000 + s),
                                root,
                                root + ".1"));
            }
            BufferedImage image = new BufferedImage(48, 40, BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < 40; y++) {
                for (int x = 0; x < 48; x++) {
                    image.getRaster().setSample(x, y, 0, (x * 5 + y * 3) % 256);
                }
            }
            patients.forEach((s, p) -> {
                for (int i = 0; i < IMAGES.get(s); i++) {
                    String sop = p.seriesUid() + "." + (i + 1);
                    Map<String, String> tags = new LinkedHashMap<>();
                    tags.put("PatientName", p.family() + "^" + p.given());
                    tags.put("PatientID", p.mrn());
                    tags.put("PatientBirthDate", p.birth());
                    tags.put("PatientAddress", p.street() + "^^" + p.city());
                    tags.put("PatientTelephoneNumbers", p.phone());
                    tags.put("AccessionNumber", p.accession());
                    tags.put("StudyInstanceUID", p.studyUid());
                    tags.put("SeriesInstanceUID", p.seriesUid());
                    tags.put("SOPInstanceUID", sop);
                    tags.put("Modality", "DX");
                    tags.put("ViewPosition", i == 0 ? "PA" : "LL");
                    tags.put("InstanceNumber", String.valueOf(i + 1));
                    instances.add(new Instance(s, sop, Dcmtk.grey8(dir, "study" + s + "-" + i, image, tags)));
                }
            });
        }

        List<Instance> instances() {
            return instances;
        }

        /** The study's ORU^R01: status F (final) or C (corrected, a new message id), PHI in the header and the text. */
        String report(int study, String status) {
            FakePatient p = patients.get(study);
            String controlId = "MSG" + (3_310_000 + study * 10 + ("C".equals(status) ? 1 : 0));
            String findings = "C".equals(status)
                    ? CORRECTED
                    : "FINDINGS: no acute disease; 2.5 cm nodule in the right upper lobe.";
            return String.join(
                            "\r",
                            "MSH|^~\\&|RIS|GENERAL HOSPITAL|VILLA|RESEARCH|20310506143500||ORU^R01^ORU_R01|" + controlId
                                    + "|P|2.5.1",
                            "PID|1||" + p.mrn() + "^^^GH^MR||" + p.family() + "^" + p.given() + "||" + p.birth()
                                    + "|F|||" + p.street() + "^^" + p.city() + "^CA^94301||" + p.phone(),
                            "OBR|1|ORD" + (4_410_000 + study) + "|" + p.accession()
                                    + "|71046^CHEST 2 VIEWS|||20310506143000" + "|||||||||||||||20310506150000|||"
                                    + status,
                            "OBX|1|TX|IMP||Patient " + p.given() + " " + p.family() + ", MRN " + p.mrn()
                                    + ", accession " + p.accession() + ".||||||" + status,
                            "OBX|2|TX|IMP||Seen 2031-05-06, call " + p.phone() + ".||||||" + status,
                            "OBX|3|TX|IMP||" + findings + "||||||" + status)
                    + "\r";
        }

        /** The pair ids the join must write: one per image of studies 1-4, and version 2 for study 2's images. */
        List<String> expectedPairIds(Pseudonyms pseudonyms, boolean withCorrection) {
            List<String> ids = new ArrayList<>();
            for (Instance i : instances) {
                if (i.study() > 4) {
                    continue;
                }
                String studyKey =
                        pseudonyms.of("accession", patients.get(i.study()).accession());
                String instanceKey = pseudonyms.of("instance", i.sopInstanceUid());
                ids.add(StudyJoin.pairId(studyKey, instanceKey, 1));
                if (withCorrection && i.study() == 2) {
                    ids.add(StudyJoin.pairId(studyKey, instanceKey, 2));
                }
            }
            return ids;
        }

        /** Every planted value, and the forms a date or phone number may take. */
        List<String> plantedValues() {
            List<String> values = new ArrayList<>();
            patients.forEach((s, p) -> {
                values.addAll(List.of(
                        p.family(),
                        p.given(),
                        p.mrn(),
                        p.birth(),
                        p.street(),
                        "Larkspur" + s,
                        p.city(),
                        p.phone(),
                        p.phone().replace("-", ""),
                        p.accession(),
                        p.studyUid(),
                        p.seriesUid(),
                        p.birth().substring(0, 4) + "-" + p.birth().substring(4, 6) + "-"
                                + p.birth().substring(6),
                        "MSG" + (3_310_000 + s * 10),
                        "MSG" + (3_310_000 + s * 10 + 1),
                        "ORD" + (4_410_000 + s)));
            });
            instances.forEach(i -> values.add(i.sopInstanceUid()));
            values.add("2031-05-06");
            values.add("20310506");
            return values.stream()
                    .map(v -> v.toLowerCase(Locale.ROOT))
                    .distinct()
                    .toList();
        }
    }
}
