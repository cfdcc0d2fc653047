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
import io.villa.records.Split;
import io.villa.schemas.Codecs;

/**
 * Crash scenario 3: {@code villa decompose --bounded} (the cli's main class in its own JVM, the job in that JVM's local
 * MiniCluster) is killed (SIGKILL) while pairs wait in its checkpointed state for the mapping model's warm-up, and the
 * same command is started again: every pair on the topic decomposed exactly once. A rerun that starts afresh from the
 * consumer group's committed offsets loses the waiting pairs: the offsets are past them, the state that held them is gone.
 */
@Tag(FaultSuite.TAG)
class DecomposeProcessCrashTest {

    private static final Logger LOG = LoggerFactory.getLogger(DecomposeProcessCrashTest.class);
    private static final String SCENARIO = "crash-decompose-process";
    private static final int PAIRS = 120;
    /**
     * Paces the job's source to one pair per fetch, about 5 pairs a second (the broker holds each fetch for the
     * 1 MB it cannot fill from a 1-byte partition limit, and then returns the one record batch it must): warm-up then
     * spans several checkpoints, so the kill finds pairs waiting in a completed checkpoint.
     */
    private static final List<String> PACED_SOURCE = List.of("--kafka", "fetch.max.wait.ms=200", "--kafka", "fetch.min.bytes=1048576",
            "--kafka", "max.partition.fetch.bytes=1");
    /** How long a bounded run may take to end once its output is complete (the final checkpoint, closing the MiniCluster). */
    private static final Duration EXIT_AFTER_LAST_OUTPUT = Duration.ofSeconds(45);
    /**
     * Twice the fast settings' warm-up: at the paced rate the model then warms about 12 s into the stream, a wide window
     * for a checkpoint with pairs waiting (the kill's moment) even on a loaded machine. 96 of the 120 pairs are TRAIN.
     */
    private static final int WARMUP_PAIRS = 48;
    /** Pairs the first run must have read and checkpointed (consumer group offset committed) before the kill. */
    private static final long CHECKPOINTED_BEFORE_KILL = 8;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void theSameCommandAfterASigkillDecomposesEveryPairExactlyOnce() throws Exception {
        Path work = FaultSuite.workDir(SCENARIO);
        TopicNames topics = FaultSuite.topics(SCENARIO);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(); Admin admin = Admin.create(broker.settings().adminConfig())) {
            broker.createTopics(topics, 1);
            KafkaSettings kafka = broker.settings();
            Set<String> sent = produceOnePairPerBatch(kafka, topics.imageReportPairs());

            List<String> command = new ArrayList<>(List.of("decompose", "--bounded"));
            command.addAll(FaultSuite.jobArgs(broker.bootstrapServers(), SCENARIO, work.resolve("checkpoints"),
                    FaultSuite.fastMapping(WARMUP_PAIRS)));
            command.addAll(PACED_SOURCE);
            TopicPartition pairsPartition = new TopicPartition(topics.imageReportPairs(), 0);
            String group = SCENARIO + "-job";

            long killedAt;
            long checkpointed;
            try (CommittedOutputWatcher output = CommittedOutputWatcher.start(kafka, topics.regionAttributePairs())) {
                try (ChildJvm first = decompose(work, "decompose-1", command)) {
                    // a completed checkpoint holds pairs (their offsets are committed) and none of them is out yet:
                    // they wait for warm-up in the mapping operator's state (or in the checkpoint's uncommitted transaction)
                    boolean waiting = CommittedOutputWatcher.await(() -> {
                        first.assertAlive();
                        return committedOffset(admin, group, pairsPartition) >= CHECKPOINTED_BEFORE_KILL && output.records() == 0;
                    }, Duration.ofMinutes(2));
                    assertThat(waiting).as("the first run checkpointed %d pairs before any output (committed offset %d, %d records "
                            + "out); its log:\n%s", CHECKPOINTED_BEFORE_KILL, committedOffset(admin, group, pairsPartition),
                            output.records(), first.tail(40)).isTrue();
                    killedAt = System.nanoTime();
                    first.kill();
                    checkpointed = committedOffset(admin, group, pairsPartition);
                    LOG.info("villa decompose (pid {}) killed with {} pairs checkpointed, none decomposed", first.pid(), checkpointed);
                }
                try (ChildJvm second = decompose(work, "decompose-2", command)) {
                    // a bounded run ends once it has read to the end offsets found at its start: wait for that, but not
                    // for long once every pair is out (a run that never ends is a failure, not a reason to wait minutes)
                    CommittedOutputWatcher.await(() -> !second.isAlive() || output.hasDecomposed(sent), Duration.ofMinutes(3));
                    Integer secondExit = second.await(EXIT_AFTER_LAST_OUTPUT);
                    CommittedOutputWatcher.await(() -> output.hasDecomposed(sent), Duration.ofSeconds(10));
                    OptionalLong resumed = output.resumedAfter(killedAt);
                    second.close();   // (if it still runs)

                    CrashAudit audit = CrashAudit.of(sent, RegionOutputs.read(kafka, topics));
                    boolean restored = second.output().contains("resuming from");
                    String notes = String.format("killed with %d pairs read and checkpointed, none decomposed yet; the same command again: "
                            + "%s, %s", checkpointed, secondExit == null ? "still running " + EXIT_AFTER_LAST_OUTPUT.toSeconds()
                                    + " s after its output was complete" : "exit " + secondExit,
                            restored ? "resumed from the killed run's checkpoint" : "started afresh from the committed offsets");
                    CrashTable.record(3, "SIGKILL of `villa decompose --bounded`, same command again", audit, resumed, notes);

                    assertThat(secondExit).as("exit code of the second (bounded) run (null: still running %d s after the last "
                            + "pair was decomposed); its log %s:\n%s", EXIT_AFTER_LAST_OUTPUT.toSeconds(), second.log(), second.tail(40))
                            .isEqualTo(0);
                    assertThat(resumed).as("committed output after the kill").isPresent();
                    audit.assertExactlyOnce();
                }
            }
        }
    }

    /** {@code villa decompose ...} in its own JVM, as the villa script starts it. */
    private static ChildJvm decompose(Path work, String name, List<String> args) {
        List<Path> classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator)).map(Path::of).toList();
        List<String> jvm = List.of("-Xmx1g", "-Dai.djl.offline=true",
                "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
                "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED");
        return ChildJvm.start(name, jvm, classpath, VillaCommand.class.getName(), args, work, work.resolve(name + ".log"), Map.of());
    }

    /** DocMNIST pairs, four TRAIN then one VAL, each in its own record batch (so a paced fetch returns one pair). */
    private static Set<String> produceOnePairPerBatch(KafkaSettings kafka, String topic) throws Exception {
        DocMnistGenerator generator = new DocMnistGenerator(MnistDigits.fromDefaultCache(), DocMnistConfig.defaults().withSeed(33));
        Iterator<ImageReportPair> train = generator.records(Split.TRAIN);
        Iterator<ImageReportPair> val = generator.records(Split.VAL);
        Set<String> sent = new LinkedHashSet<>();
        try (KafkaProducer<String, ImageReportPair> producer = KafkaClients.producer(kafka, Codecs.IMAGE_REPORT_PAIR)) {
            for (int i = 0; i < PAIRS; i++) {
                ImageReportPair pair = i % 5 == 4 ? val.next() : train.next();
                producer.send(new ProducerRecord<>(topic, pair.getPairId(), pair)).get();
                sent.add(pair.getPairId());
            }
        }
        return sent;
    }

    /** The consumer group's committed offset (the job's source commits it when a checkpoint completes); 0 if none. */
    private static long committedOffset(Admin admin, String group, TopicPartition partition) {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS);
            OffsetAndMetadata offset = offsets.get(partition);
            return offset == null ? 0 : offset.offset();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the committed offsets of " + group, e);
        }
    }
}
