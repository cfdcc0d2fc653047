package io.villa.cli.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.villa.deid.Pseudonyms;
import io.villa.flink.join.JoinJob;
import io.villa.flink.join.JoinOptions;
import io.villa.flink.join.StudyJoin;
import io.villa.kafka.FeedTopicNames;
import io.villa.kafka.KafkaSettings;
import io.villa.kafka.TopicAdmin;
import io.villa.kafka.TopicNames;
import io.villa.producers.dicomweb.DicomWebAuth;
import io.villa.producers.dicomweb.DicomWebClient;
import io.villa.producers.dicomweb.DicomWebFollower;
import io.villa.producers.dicomweb.OrthancProcess;
import io.villa.producers.dicomweb.StudyImageMapper;
import io.villa.producers.docmnist.DocMnistGenerator;
import io.villa.producers.hl7.Hl7ReportHandler;
import io.villa.producers.hl7.MllpListener;
import io.villa.producers.simulator.Dcmtk;
import io.villa.producers.simulator.DicomStudyWriter;
import io.villa.producers.simulator.HospitalSimulator;
import io.villa.producers.simulator.MllpSender;
import io.villa.producers.simulator.PlantedValues;
import io.villa.producers.simulator.SimulationSummary;
import io.villa.producers.simulator.StowRsClient;
import io.villa.producers.simulator.StudyPlanner;
import io.villa.records.Split;
import io.villa.schemas.Codecs;
import picocli.CommandLine;

/**
 * The demo's hospital feed, in place of producing DocMNIST pairs directly: a real Orthanc (the PACS), the HL7 listener
 * on a loopback MLLP port, the DICOMweb follower (reading the simulator's ground truth), the join job in a local
 * MiniCluster, and the hospital simulator turning the same DocMNIST into DICOM studies and ORU^R01 reports. It returns
 * once the join has settled: every image followed, every report taken, the orphans dead-lettered at their TTL and no
 * new pair for a while. The pseudonym key is random, made for this run and never written anywhere.
 *
 * <p>The feed's own dead letters (orphans, refused images or messages) go to {@value #FEED_DEAD_LETTERS}, apart from the
 * decomposition's, so the demo's count checks keep their meaning: every joined pair is decomposed or dead-lettered.
 */
public final class HospitalFeedStage implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HospitalFeedStage.class);
    static final String FEED_DEAD_LETTERS = "villa.feed-dead-letters";
    /** Short, so the orphans reach the dead-letter topic within the demo; longer than any report delay here. */
    static final Duration TTL = Duration.ofSeconds(30);

    private static final Duration REPORT_DELAY = Duration.ofSeconds(1);
    private static final long CHECKPOINT_MS = 2_000;
    private static final Duration SETTLED = Duration.ofSeconds(8);
    private static final String IMG2DCM = "img2dcm";

    /** What the feed did, for the summary: the simulator's counts, what the producers took, what the join made. */
    record Counts(
            SimulationSummary simulated,
            long imagesFollowed,
            long reportsTaken,
            long pairsJoined,
            long orphaned,
            long feedDeadLetters) {

        Map<String, Long> asMap() {
            Map<String, Long> m = new LinkedHashMap<>();
            m.put("feedStudies", simulated.studies());
            m.put("feedImagesSent", simulated.imagesStored());
            m.put("feedImagesFailed", simulated.imagesFailed());
            m.put("feedReportsSent", simulated.hl7Messages());
            m.put("feedReportsAcknowledged", simulated.hl7Acknowledged());
            m.put("feedCorrectedStudies", simulated.correctedStudies());
            m.put("feedImagesFollowed", imagesFollowed);
            m.put("feedReportsTaken", reportsTaken);
            m.put("feedPairsJoined", pairsJoined);
            m.put("feedOrphaned", orphaned);
            m.put("feedDeadLetters", feedDeadLetters);
            return m;
        }
    }

    private final KafkaSettings kafka;
    private final TopicNames topics;
    private final Path runDir;
    private final long seed;
    private final double correctedFraction;
    private final double orphanFraction;
    private final boolean phiInReport;
    private final Pseudonyms pseudonyms;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "demo-hospital-feed");
        t.setDaemon(true);
        return t;
    });
    private OrthancProcess orthanc;
    private Hl7ReportHandler handler;
    private MllpListener listener;
    private DicomWebFollower follower;
    private Future<DicomWebFollower.Summary> following;
    private JobClient join;
    private Tally pairTally;
    private Tally orphanTally;

    HospitalFeedStage(
            KafkaSettings kafka,
            TopicNames topics,
            Path runDir,
            long seed,
            double correctedFraction,
            double orphanFraction,
            boolean phiInReport) {
        this.phiInReport = phiInReport;
        this.correctedFraction = correctedFraction;
        this.orphanFraction = orphanFraction;
        this.kafka = kafka;
        this.topics = topics;
        this.runDir = runDir;
        this.seed = seed;
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.pseudonyms = Pseudonyms.withKey(key); // this run's only copy: never logged, never written
    }

    /** Why the hospital feed cannot run here, or null when Orthanc, its DICOMweb plugin and DCMTK are installed. */
    public static String missingParts() {
        if (OrthancProcess.findBinary().isEmpty()) {
            return "--feed hospital needs Orthanc, which is not installed (Debian: apt-get install orthanc orthanc-dicomweb;"
                    + " or set " + OrthancProcess.BINARY_ENV + ")";
        }
        if (OrthancProcess.findDicomWebPlugin().isEmpty()) {
            return "--feed hospital needs Orthanc's DICOMweb plugin, which is not installed (Debian: orthanc-dicomweb;"
                    + " or set " + OrthancProcess.PLUGIN_ENV + ")";
        }
        if (!Dcmtk.available(IMG2DCM)) {
            return "--feed hospital needs DCMTK's img2dcm, which is not installed (Debian: apt-get install dcmtk)";
        }
        return null;
    }

    /** Starts the PACS, the listener, the follower and the join, runs the simulator, and waits for the join to settle. */
    Counts run(DocMnistGenerator generator, List<Split> splits, BooleanSupplier shouldStop) throws Exception {
        FeedTopicNames feed = FeedTopicNames.defaults();
        try (TopicAdmin admin = new TopicAdmin(kafka)) {
            admin.createIfMissing(List.of(feed.studyImages(), feed.studyReports(), FEED_DEAD_LETTERS), 1, (short) 1);
        }
        orthanc = OrthancProcess.start(runDir.resolve("pacs"), false);
        handler = Hl7ReportHandler.builder()
                .setKafka(kafka)
                .setPseudonyms(pseudonyms)
                .setReportsTopic(feed.studyReports())
                .setDeadLettersTopic(FEED_DEAD_LETTERS)
                .build();
        listener = MllpListener.builder()
                .setPort(0)
                .optBindAddress(InetAddress.getLoopbackAddress())
                .setHandler(handler)
                .build()
                .start();
        follower = DicomWebFollower.builder()
                .setClient(new DicomWebClient(
                        URI.create(orthanc.dicomWebUrl()), DicomWebAuth.none(), Duration.ofSeconds(60)))
                .setMapper(StudyImageMapper.builder()
                        .setPseudonyms(pseudonyms)
                        .optSimulatorTruth(true)
                        .build())
                .setKafka(kafka)
                .setImagesTopic(feed.studyImages())
                .setDeadLettersTopic(FEED_DEAD_LETTERS)
                .optPollInterval(Duration.ofMillis(500))
                .build();
        following = threads.submit(follower::run);
        pairTally = new Tally(kafka, topics.imageReportPairs(), value -> true);
        orphanTally = new Tally(kafka, FEED_DEAD_LETTERS, HospitalFeedStage::isOrphan);
        join = startJoin(feed);
        LOG.info(
                "hospital feed: Orthanc at {}, HL7 listener on port {}, DICOMweb follower and join running",
                orthanc.dicomWebUrl(),
                listener.port());

        SimulationSummary simulated;
        try (MllpSender sender =
                new MllpSender("127.0.0.1", listener.port(), 8, Duration.ofMillis(250), Duration.ofSeconds(30))) {
            Future<SimulationSummary> simulation = threads.submit(() -> HospitalSimulator.builder()
                    .setGenerator(generator)
                    .setPlanner(new StudyPlanner(seed, correctedFraction, orphanFraction))
                    .optSplits(splits)
                    .optPacs(new StowRsClient(orthanc.dicomWebUrl(), null), new DicomStudyWriter(IMG2DCM))
                    .optHl7(sender)
                    .optReportDelay(REPORT_DELAY)
                    .optPhiHeader(phiInReport)
                    .optOut(runDir.resolve("simulator"))
                    .build()
                    .run());
            while (!simulation.isDone()) {
                if (shouldStop.getAsBoolean()) {
                    simulation.cancel(true);
                    throw new InterruptedException("stopped while the simulator ran");
                }
                Thread.sleep(250);
            }
            simulated = simulation.get();
        }
        LOG.info(
                "hospital simulator: {} studies, {} images stored, {} of {} HL7 messages acknowledged",
                simulated.studies(),
                simulated.imagesStored(),
                simulated.hl7Acknowledged(),
                simulated.hl7Messages());

        // the follower has everything the PACS holds; the listener acknowledged only what Kafka had
        awaitOrStop(
                () -> handledByFollower() >= simulated.imagesStored(),
                Duration.ofMinutes(5),
                shouldStop,
                "the DICOMweb follower to catch up");
        long orphansExpected = simulated.orphanImages() + simulated.orphanReports();
        long[] last = {-1, System.nanoTime()};
        awaitOrStop(
                () -> {
                    long pairs = pairTally.update();
                    if (pairs != last[0]) {
                        last[0] = pairs;
                        last[1] = System.nanoTime();
                    }
                    boolean quiet = System.nanoTime() - last[1] > SETTLED.toNanos();
                    return quiet && orphanTally.update() >= orphansExpected;
                },
                TTL.plus(Duration.ofMinutes(3)),
                shouldStop,
                "the join to settle",
                false);
        Counts counts = new Counts(
                simulated,
                follower.summary().sent(),
                handler.reports(),
                pairTally.update(),
                orphanTally.update(),
                orphanTally.seen());
        LOG.info("hospital feed settled: {}", counts.asMap());
        return counts;
    }

    /** The planted values the simulator listed (kind TAB value), for the PHI scan. */
    List<String> plantedValues() throws IOException {
        Path file = runDir.resolve("simulator").resolve(PlantedValues.PHI_FILE);
        List<String> values = new ArrayList<>();
        if (Files.isRegularFile(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int tab = line.indexOf('\t');
                if (tab >= 0 && tab + 1 < line.length()) {
                    values.add(line.substring(tab + 1));
                }
            }
        }
        return values;
    }

    private long handledByFollower() {
        DicomWebFollower.Summary s = follower.summary();
        return s.sent() + s.deadLettered() + s.skipped();
    }

    /** Counts the committed records of a topic that match, reading on from where it stopped each time. */
    private static final class Tally implements AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final java.util.function.Predicate<byte[]> counts;
        private long matched;
        private long seen;

        Tally(KafkaSettings kafka, String topic, java.util.function.Predicate<byte[]> counts) {
            Map<String, Object> config = kafka.consumerConfig("villa-demo-feed-tally");
            config.remove(ConsumerConfig.GROUP_ID_CONFIG);
            this.consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            this.counts = counts;
        }

        /** Reads what was committed since the last call; the matching records in all. */
        long update() {
            Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    seen++;
                    if (counts.test(r.value())) {
                        matched++;
                    }
                }
            }
            return matched;
        }

        long seen() {
            return seen;
        }

        @Override
        public void close() {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private static boolean isOrphan(byte[] deadLetter) {
        try {
            return StudyJoin.STAGE_ORPHAN.contentEquals(
                    Codecs.DEAD_LETTER.decode(deadLetter).getStage());
        } catch (RuntimeException e) {
            return false;
        }
    }

    private JobClient startJoin(FeedTopicNames feed) throws Exception {
        JoinOptions options = new JoinOptions();
        new CommandLine(options)
                .parseArgs(
                        "--bootstrap",
                        kafka.bootstrapServers(),
                        "--topic-study-images",
                        feed.studyImages(),
                        "--topic-study-reports",
                        feed.studyReports(),
                        "--topic-pairs",
                        topics.imageReportPairs(),
                        "--topic-dead-letters",
                        FEED_DEAD_LETTERS,
                        "--ttl",
                        TTL.toSeconds() + "s",
                        "--checkpoint-interval",
                        String.valueOf(CHECKPOINT_MS),
                        "--checkpoint-dir",
                        runDir.resolve("join-checkpoints")
                                .toAbsolutePath()
                                .toUri()
                                .toString(),
                        "--resume",
                        "none");
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(JoinJob.localConfiguration(options));
        JoinJob.build(env, options);
        return env.executeAsync(JoinJob.JOB_NAME);
    }

    private static void awaitOrStop(BooleanSupplier done, Duration timeout, BooleanSupplier shouldStop, String what)
            throws InterruptedException {
        awaitOrStop(done, timeout, shouldStop, what, true);
    }

    /** Waits for {@code done}; at the timeout throws, or (not {@code required}) logs and goes on with what there is. */
    private static void awaitOrStop(
            BooleanSupplier done, Duration timeout, BooleanSupplier shouldStop, String what, boolean required)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (shouldStop.getAsBoolean()) {
                throw new InterruptedException("stopped while waiting for " + what);
            }
            if (System.nanoTime() > deadline) {
                if (!required) {
                    // e.g. an orphan report the simulator gave up sending: one orphan fewer than it planned
                    LOG.warn(
                            "gave up after {} s waiting for {}; going on with the pairs joined so far",
                            timeout.toSeconds(),
                            what);
                    return;
                }
                throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(500);
        }
    }

    /** Stops the join, the follower, the listener and the PACS, each even when another fails. */
    @Override
    public void close() {
        if (join != null) {
            try {
                join.cancel().get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("could not cancel the join job cleanly: {}", e.toString());
            }
        }
        if (follower != null) {
            follower.stop();
            try {
                following.get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("the DICOMweb follower ended with {}", e.toString());
            }
            follower.close();
        }
        if (listener != null) {
            listener.stop(Duration.ofSeconds(10));
        }
        if (handler != null) {
            handler.close();
        }
        threads.shutdownNow();
        if (pairTally != null) {
            pairTally.close();
        }
        if (orphanTally != null) {
            orphanTally.close();
        }
        if (orthanc != null) {
            orthanc.close();
        }
    }
}
