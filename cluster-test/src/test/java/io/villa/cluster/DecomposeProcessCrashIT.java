package io.villa.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.villa.cli.VillaCommand;
import io.villa.kafka.KafkaClients;
import io.villa.kafka.KafkaSettings;
import io.villa.kafka.TopicNames;
import io.villa.kafka.embedded.EmbeddedKafkaBroker;
import io.villa.producers.docmnist.DocMnistConfig;
import io.villa.producers.docmnist.DocMnistGenerator;
import io.villa.producers.mnist.MnistDigits;
import io.villa.records.ImageReportPair;
import io.villa.records.RegionAttributePair;
import io.villa.records.Split;
import io.villa.schemas.Codecs;

/**
 * Crash scenarios 3 and 4: {@code villa decompose --bounded} (the cli's main class in its own JVM, the job in that JVM's
 * local MiniCluster) is killed (SIGKILL) and the same command is started again; it resumes from the newest checkpoint
 * the killed run retained under --checkpoint-dir ({@code --resume latest}, the default), and every pair on the topic is
 * decomposed exactly once (an independent read_committed read, by pair id and region index).
 *
 * <p>Scenario 3 kills while pairs wait in checkpointed state for the mapping model's warm-up: a rerun that started
 * afresh from the consumer group's committed offsets would lose them (the offsets are past them, the state that held
 * them is gone). Scenario 4 kills mid-stream with the model warm and outputs committed by versions past warm-up: the
 * resumed run goes on with the model it checkpointed (never a version below the highest committed before the kill,
 * one announced version sequence) and ends with the very model, bit for bit, of an uninterrupted run of the same
 * command on the same input, with the same VAL mapping F1.
 */
@Tag(FaultSuite.TAG)
class DecomposeProcessCrashIT {

    private static final Logger LOG = LoggerFactory.getLogger(DecomposeProcessCrashIT.class);
    private static final String SCENARIO = "crash-decompose-process";
    private static final String WARM_SCENARIO = "crash-decompose-warm";
    private static final String REFERENCE_SCENARIO = "crash-decompose-reference";
    private static final int PAIRS = 120;
    /**
     * Paces the job's source to one pair per fetch, about 5 pairs a second (the broker holds each fetch for the
     * 1 MB it cannot fill from a 1-byte partition limit, and then returns the one record batch it must): warm-up then
     * spans several checkpoints, so the kill finds pairs waiting in a completed checkpoint.
     */
    private static final List<String> PACED_SOURCE = List.of(
            "--kafka",
            "fetch.max.wait.ms=200",
            "--kafka",
            "fetch.min.bytes=1048576",
            "--kafka",
            "max.partition.fetch.bytes=1");
    /** How long a bounded run may take to end once its output is complete (the final checkpoint, closing the MiniCluster). */
    private static final Duration EXIT_AFTER_LAST_OUTPUT = Duration.ofSeconds(45);
    /**
     * Twice the fast settings' warm-up: at the paced rate the model then warms about 12 s into the stream, a wide window
     * for a checkpoint with pairs waiting (the kill's moment) even on a loaded machine. 96 of the 120 pairs are TRAIN.
     */
    private static final int WARMUP_PAIRS = 48;
    /** Pairs the first run must have read and checkpointed (consumer group offset committed) before the kill. */
    private static final long CHECKPOINTED_BEFORE_KILL = 8;
    /**
     * Scenario 4's model (FaultSuite.FAST_MAPPING): warm after 24 TRAIN pairs and 10 steps (version 10), then 2 steps per
     * 8 TRAIN pairs: the 96 TRAIN pairs end at version 10 + 2 * (96 - 24) / 8 = 28.
     */
    private static final long WARM_VERSION = 10;

    private static final long FINAL_VERSION = 28;
    /** VAL mapping F1 of the killed and resumed run against the uninterrupted one. */
    private static final double F1_TOLERANCE = 0.01;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void theSameCommandAfterASigkillDecomposesEveryPairExactlyOnce() throws Exception {
        Path work = FaultSuite.workDir(SCENARIO);
        TopicNames topics = FaultSuite.topics(SCENARIO);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
                Admin admin = Admin.create(broker.settings().adminConfig())) {
            broker.createTopics(topics, 1);
            KafkaSettings kafka = broker.settings();
            Set<String> sent = ids(produceOnePairPerBatch(kafka, topics.imageReportPairs(), pairs()));

            List<String> command = new ArrayList<>(List.of("decompose", "--bounded"));
            command.addAll(FaultSuite.jobArgs(
                    broker.bootstrapServers(),
                    SCENARIO,
                    work.resolve("checkpoints"),
                    FaultSuite.fastMapping(WARMUP_PAIRS)));
            command.addAll(PACED_SOURCE);
            TopicPartition pairsPartition = new TopicPartition(topics.imageReportPairs(), 0);
            String group = SCENARIO + "-job";

            long killedAt;
            long checkpointed;
            try (CommittedOutputWatcher output = CommittedOutputWatcher.start(kafka, topics.regionAttributePairs())) {
                try (ChildJvm first = decompose(work, "decompose-1", command)) {
                    // a completed checkpoint holds pairs (their offsets are committed) and none of them is out yet:
                    // they wait for warm-up in the mapping learner's state (or in the checkpoint's uncommitted
                    // transaction)
                    boolean waiting = CommittedOutputWatcher.await(
                            () -> {
                                first.assertAlive();
                                return committedOffset(admin, group, pairsPartition) >= CHECKPOINTED_BEFORE_KILL
                                        && output.records() == 0;
                            },
                            Duration.ofMinutes(2));
                    assertThat(waiting)
                            .as(
                                    "the first run checkpointed %d pairs before any output (committed offset %d, %d records "
                                            + "out); its log:\n%s",
                                    CHECKPOINTED_BEFORE_KILL,
                                    committedOffset(admin, group, pairsPartition),
                                    output.records(),
                                    first.tail(40))
                            .isTrue();
                    killedAt = System.nanoTime();
                    first.kill();
                    checkpointed = committedOffset(admin, group, pairsPartition);
                    LOG.info(
                            "villa decompose (pid {}) killed with {} pairs checkpointed, none decomposed",
                            first.pid(),
                            checkpointed);
                }
                try (ChildJvm second = decompose(work, "decompose-2", command)) {
                    Integer secondExit = awaitBoundedEnd(second, output, sent);
                    OptionalLong resumed = output.resumedAfter(killedAt);
                    second.close(); // (if it still runs)

                    CrashAudit audit = CrashAudit.of(sent, RegionOutputs.read(kafka, topics));
                    boolean restored = second.output().contains("resuming from");
                    String notes = String.format(
                            "killed during warm-up with %d pairs read and checkpointed, none decomposed yet; the same "
                                    + "command again: %s, %s",
                            checkpointed,
                            exit(secondExit),
                            restored
                                    ? "resumed from the killed run's checkpoint"
                                    : "started afresh from the committed offsets");
                    CrashTable.record(
                            3,
                            "SIGKILL of `villa decompose --bounded` during warm-up, same command again",
                            audit,
                            resumed,
                            notes);

                    assertExited(second, secondExit);
                    assertThat(resumed).as("committed output after the kill").isPresent();
                    audit.assertExactlyOnce();
                }
            }
        }
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void aSigkillWithTheModelWarmResumesItsModelAndEndsWithTheModelOfAnUninterruptedRun() throws Exception {
        Path work = FaultSuite.workDir(WARM_SCENARIO);
        TopicNames topics = FaultSuite.topics(WARM_SCENARIO);
        TopicNames referenceTopics = FaultSuite.topics(REFERENCE_SCENARIO);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            broker.createTopics(topics, 1);
            broker.createTopics(referenceTopics, 1);
            KafkaSettings kafka = broker.settings();
            List<ImageReportPair> input = pairs();
            Set<String> sent = ids(produceOnePairPerBatch(kafka, topics.imageReportPairs(), input));
            assertThat(ids(produceOnePairPerBatch(kafka, referenceTopics.imageReportPairs(), input)))
                    .isEqualTo(sent);
            long trueVal = PublishedModels.truePairs(input, Split.VAL);

            // 1. the uninterrupted run: the same command on its own topics, group, checkpoints and model directory
            long start = System.nanoTime();
            try (ChildJvm reference = decompose(work, "reference", warmCommand(broker, REFERENCE_SCENARIO, work))) {
                Integer exit = reference.await(Duration.ofMinutes(3));
                assertExited(reference, exit);
            }
            RegionOutputs referenceOut = RegionOutputs.read(kafka, referenceTopics);
            CrashAudit.of(sent, referenceOut).assertExactlyOnce();
            PublishedModels referenceModels =
                    PublishedModels.read(kafka, referenceTopics.trainerEvents(), models(work, REFERENCE_SCENARIO));
            double referenceF1 = referenceOut.quality(Split.VAL, trueVal)[2];
            LOG.info(
                    "uninterrupted run: {} s, versions {}, final version {}, VAL F1 {}",
                    (System.nanoTime() - start) / 1_000_000_000,
                    referenceModels.announced(),
                    referenceModels.last().version(),
                    String.format("%.4f", referenceF1));
            assertThat(referenceModels.last().version())
                    .as("final version of the uninterrupted run")
                    .isEqualTo(FINAL_VERSION);
            assertThat(referenceModels.announced())
                    .as("versions announced by the uninterrupted run")
                    .startsWith(WARM_VERSION)
                    .endsWith(FINAL_VERSION)
                    .isSorted()
                    .doesNotHaveDuplicates();

            // 2. the same command on the scenario's topics, killed once committed output comes from a version past
            // warm-up
            List<String> command = warmCommand(broker, WARM_SCENARIO, work);
            Path modelDir = models(work, WARM_SCENARIO);
            long killedAt;
            RegionOutputs beforeKill;
            PublishedModels publishedBeforeKill;
            try (CommittedOutputWatcher output = CommittedOutputWatcher.start(kafka, topics.regionAttributePairs())) {
                try (ChildJvm first = decompose(work, "warm-1", command)) {
                    boolean warm = CommittedOutputWatcher.await(
                            () -> {
                                first.assertAlive();
                                return output.maxModelVersion() > WARM_VERSION;
                            },
                            Duration.ofMinutes(3));
                    assertThat(warm)
                            .as(
                                    "committed output from a version past warm-up (%d) in the first run (highest so far %d, "
                                            + "%d records); its log:\n%s",
                                    WARM_VERSION, output.maxModelVersion(), output.records(), first.tail(40))
                            .isTrue();
                    killedAt = System.nanoTime();
                    first.kill();
                }
                // what the killed run left committed (a transaction it pre-committed in its last checkpoint but had not
                // yet
                // committed is not in here: the resumed run commits it)
                beforeKill = RegionOutputs.read(kafka, topics);
                publishedBeforeKill = PublishedModels.read(kafka, topics.trainerEvents(), modelDir);
                long maxBefore = maxModelVersion(beforeKill);
                LOG.info(
                        "villa decompose killed with {} pairs decomposed (committed), model versions up to {}, versions announced {}, "
                                + "{} written under --model-dir",
                        beforeKill.wholeImages.size(),
                        maxBefore,
                        publishedBeforeKill.announced(),
                        publishedBeforeKill.artifacts().size());
                assertThat(beforeKill.wholeImages.size())
                        .as("pairs decomposed before the kill: the kill is mid-stream")
                        .isLessThan(PAIRS);

                // 3. the same command again
                try (ChildJvm second = decompose(work, "warm-2", command)) {
                    Integer secondExit = awaitBoundedEnd(second, output, sent);
                    OptionalLong resumed = output.resumedAfter(killedAt);
                    second.close(); // (if it still runs)

                    RegionOutputs all = RegionOutputs.read(kafka, topics);
                    CrashAudit audit = CrashAudit.of(sent, all);
                    PublishedModels published = PublishedModels.read(kafka, topics.trainerEvents(), modelDir);
                    List<RegionAttributePair> after = all.records.entrySet().stream()
                            .filter(e -> !beforeKill.records.containsKey(e.getKey()))
                            .map(Map.Entry::getValue)
                            .toList();
                    long minAfter = after.stream()
                            .mapToLong(RegionAttributePair::getModelVersion)
                            .min()
                            .orElse(-1);
                    double f1 = all.quality(Split.VAL, trueVal)[2];
                    // deterministic learning: each region has the attributes and model version of the uninterrupted
                    // run's
                    List<String> decomposedOtherwise = all.records.keySet().stream()
                            .filter(k -> !sameDecomposition(all, referenceOut, k))
                            .toList();
                    boolean restored = second.output().contains("resuming from");
                    boolean sameModel = !published.artifacts().isEmpty()
                            && Arrays.equals(
                                    published.last().parameters(),
                                    referenceModels.last().parameters());
                    String notes = String.format(
                            "killed with the model warm: %d of %d pairs decomposed, output by versions up to %d, "
                                    + "versions %s announced; the same command again: %s, %s, "
                                    + "output by versions %d and up, final version %d "
                                    + "(uninterrupted run: %d, %s); VAL F1 %.4f (uninterrupted run: %.4f); "
                                    + "%d of %d records with other attributes "
                                    + "or model version than the uninterrupted run's",
                            beforeKill.wholeImages.size(),
                            PAIRS,
                            maxBefore,
                            range(publishedBeforeKill.announced()),
                            exit(secondExit),
                            restored
                                    ? "resumed from the killed run's checkpoint"
                                    : "started afresh from the committed offsets",
                            minAfter,
                            published.artifacts().isEmpty()
                                    ? -1
                                    : published.last().version(),
                            referenceModels.last().version(),
                            sameModel ? "bit-identical parameters" : "parameters differ",
                            f1,
                            referenceF1,
                            decomposedOtherwise.size(),
                            all.records.size());
                    CrashTable.record(
                            4,
                            "SIGKILL of `villa decompose --bounded` with the model warm, same command again",
                            audit,
                            resumed,
                            notes);

                    assertExited(second, secondExit);
                    assertThat(restored)
                            .as(
                                    "the second run resumed from the killed run's checkpoint; its log %s:\n%s",
                                    second.log(), second.tail(40))
                            .isTrue();
                    assertThat(resumed).as("committed output after the kill").isPresent();
                    audit.assertExactlyOnce();
                    assertThat(after).as("records committed after the kill").isNotEmpty();
                    assertThat(minAfter)
                            .as(
                                    "lowest model version of the records committed after the kill: the model went on from "
                                            + "the highest version committed before it (%d), it did not learn again from scratch",
                                    maxBefore)
                            .isGreaterThanOrEqualTo(maxBefore);
                    assertThat(published.announced())
                            .as("versions announced before the kill")
                            .startsWith(publishedBeforeKill.announced().toArray(Long[]::new));
                    referenceModels.assertSameAs(published, "the killed and resumed run against the uninterrupted one");
                    assertThat(decomposedOtherwise)
                            .as("records (pairId#regionIndex) with other attributes or model version than "
                                    + "the uninterrupted run's")
                            .isEmpty();
                    assertThat(Math.abs(f1 - referenceF1))
                            .as(
                                    "VAL mapping F1 of the killed and resumed run (%.4f) against the "
                                            + "uninterrupted run (%.4f)",
                                    f1, referenceF1)
                            .isLessThanOrEqualTo(F1_TOLERANCE);
                }
            }
        }
    }

    /**
     * {@code villa decompose --bounded} for scenario 4: fast mapping settings, the paced source, every version written
     * to --model-dir, and learning that never lags ({@link FaultSuite#DETERMINISTIC_LEARNING}).
     */
    private static List<String> warmCommand(EmbeddedKafkaBroker broker, String scenario, Path work) {
        List<String> command = new ArrayList<>(List.of("decompose", "--bounded"));
        command.addAll(
                FaultSuite.jobArgs(broker.bootstrapServers(), scenario, work.resolve(scenario + "-checkpoints")));
        command.addAll(PACED_SOURCE);
        command.addAll(FaultSuite.DETERMINISTIC_LEARNING);
        command.addAll(List.of("--model-dir", models(work, scenario).toString()));
        return command;
    }

    private static Path models(Path work, String scenario) {
        return work.resolve(scenario + "-models");
    }

    /**
     * A bounded run ends once it has read to the end offsets found at its start: waits for that, but not for long once
     * every pair is out (a run that never ends is a failure, not a reason to wait minutes). Its exit code, or null.
     */
    private static Integer awaitBoundedEnd(ChildJvm run, CommittedOutputWatcher output, Set<String> sent)
            throws InterruptedException {
        CommittedOutputWatcher.await(() -> !run.isAlive() || output.hasDecomposed(sent), Duration.ofMinutes(3));
        Integer exit = run.await(EXIT_AFTER_LAST_OUTPUT);
        CommittedOutputWatcher.await(() -> output.hasDecomposed(sent), Duration.ofSeconds(10));
        return exit;
    }

    private static void assertExited(ChildJvm run, Integer exit) {
        assertThat(exit)
                .as(
                        "exit code of %s (bounded; null: still running %d s after the last pair was decomposed); its log %s:\n%s",
                        run.name(), EXIT_AFTER_LAST_OUTPUT.toSeconds(), run.log(), run.tail(40))
                .isEqualTo(0);
    }

    private static String exit(Integer exit) {
        return exit == null
                ? "still running " + EXIT_AFTER_LAST_OUTPUT.toSeconds() + " s after its output was complete"
                : "exit " + exit;
    }

    private static String range(List<Long> versions) {
        return versions.isEmpty() ? "none" : versions.get(0) + ".." + versions.get(versions.size() - 1);
    }

    /** The record of {@code key} has the same region, attributes and model version in both runs. */
    private static boolean sameDecomposition(RegionOutputs a, RegionOutputs b, String key) {
        RegionAttributePair x = a.records.get(key);
        RegionAttributePair y = b.records.get(key);
        return y != null
                && x.getModelVersion() == y.getModelVersion()
                && x.getAttributes().equals(y.getAttributes())
                && x.getWholeImage() == y.getWholeImage();
    }

    private static long maxModelVersion(RegionOutputs out) {
        return out.records.values().stream()
                .mapToLong(RegionAttributePair::getModelVersion)
                .max()
                .orElse(-1);
    }

    /** {@code villa decompose ...} in its own JVM, as the villa script starts it. */
    private static ChildJvm decompose(Path work, String name, List<String> args) {
        List<Path> classpath = Arrays.stream(
                        System.getProperty("java.class.path").split(File.pathSeparator))
                .map(Path::of)
                .toList();
        List<String> jvm = List.of(
                "-Xmx1g",
                "-Dai.djl.offline=true",
                "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "--add-opens=java.base/java.util=ALL-UNNAMED",
                "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED");
        return ChildJvm.start(
                name, jvm, classpath, VillaCommand.class.getName(), args, work, work.resolve(name + ".log"), Map.of());
    }

    /** DocMNIST pairs, four TRAIN then one VAL. */
    private static List<ImageReportPair> pairs() {
        DocMnistGenerator generator = new DocMnistGenerator(
                MnistDigits.fromDefaultCache(),
                DocMnistConfig.builder().optSeed(33).build());
        Iterator<ImageReportPair> train = generator.records(Split.TRAIN);
        Iterator<ImageReportPair> val = generator.records(Split.VAL);
        List<ImageReportPair> pairs = new ArrayList<>();
        for (int i = 0; i < PAIRS; i++) {
            pairs.add(i % 5 == 4 ? val.next() : train.next());
        }
        return pairs;
    }

    /** Each pair in its own record batch (so a paced fetch returns one pair); the pairs the broker acknowledged, in order. */
    private static List<ImageReportPair> produceOnePairPerBatch(
            KafkaSettings kafka, String topic, List<ImageReportPair> pairs) throws Exception {
        try (KafkaProducer<String, ImageReportPair> producer = KafkaClients.producer(kafka, Codecs.IMAGE_REPORT_PAIR)) {
            for (ImageReportPair pair : pairs) {
                producer.send(new ProducerRecord<>(topic, pair.getPairId(), pair))
                        .get();
            }
        }
        return pairs;
    }

    private static Set<String> ids(List<ImageReportPair> pairs) {
        Set<String> ids = new LinkedHashSet<>();
        pairs.forEach(p -> ids.add(p.getPairId()));
        return ids;
    }

    /** The consumer group's committed offset (the job's source commits it when a checkpoint completes); 0 if none. */
    private static long committedOffset(Admin admin, String group, TopicPartition partition) {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS);
            OffsetAndMetadata offset = offsets.get(partition);
            return offset == null ? 0 : offset.offset();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the committed offsets of " + group, e);
        }
    }
}
