package io.villa.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.villa.kafka.TopicNames;

/** What the crash scenarios share: the job's arguments and their working directories. */
final class FaultSuite {

    /** JUnit tag of the crash scenarios: {@code -Dgroups=fault-suite} runs only them, {@code -DexcludedGroups=fault-suite} skips them. */
    static final String TAG = "fault-suite";

    /**
     * The small, fast mapping settings of flink-jobs' PipelineHarness.FAST_MAPPING (a test class this module cannot
     * see): the model is warm after 24 TRAIN pairs.
     */
    static final List<String> FAST_MAPPING = fastMapping(24);

    /**
     * Learning never behind the stream: each pair is decomposed by the version that learned from all TRAIN pairs before
     * it, so a run's output is a function of its input alone, not of how fast steps ran. (The fast settings publish a
     * version at the end of every learning round: 2 steps per round, --publish-every 2.)
     */
    static final List<String> DETERMINISTIC_LEARNING = List.of("--max-learning-lag", "0");

    /** {@link #FAST_MAPPING} with another warm-up length (TRAIN pairs before the model may decompose). */
    static List<String> fastMapping(int warmupPairs) {
        return List.of("--encoder", "pixels", "--warmup-pairs", String.valueOf(warmupPairs), "--warmup-steps", "10",
                "--batch-size", "8", "--replay-size", "256", "--passes", "2", "--head-width", "32", "--log-every", "0",
                "--publish-every", "2");
    }

    private FaultSuite() {
    }

    static TopicNames topics(String scenario) {
        return new TopicNames(scenario + ".pairs", scenario + ".regions", scenario + ".dead-letters", scenario + ".events");
    }

    /**
     * The decomposition job's arguments for a scenario: its topics, its own consumer group, transactional ids and
     * checkpoint directory, a checkpoint every second (committed output grows each second, so a stall shows), restarts
     * enough for a fault or two, the fast mapping settings.
     */
    static List<String> jobArgs(String bootstrap, String scenario, Path checkpoints) {
        return jobArgs(bootstrap, scenario, checkpoints, FAST_MAPPING);
    }

    static List<String> jobArgs(String bootstrap, String scenario, Path checkpoints, List<String> mapping) {
        TopicNames topics = topics(scenario);
        List<String> args = new ArrayList<>(List.of("--bootstrap", bootstrap,
                "--topic-pairs", topics.imageReportPairs(), "--topic-regions", topics.regionAttributePairs(),
                "--topic-dead-letters", topics.deadLetters(), "--topic-trainer-events", topics.trainerEvents(),
                "--group-id", scenario + "-job", "--transactional-id-prefix", scenario,
                "--checkpoint-dir", checkpoints.toUri().toString(), "--checkpoint-interval", "1000",
                "--restart-attempts", "10", "--parallelism", "1", "--mapping-parallelism", "1"));
        args.addAll(mapping);
        return args;
    }

    /** target/fault-suite/NAME, emptied. */
    static Path workDir(String name) throws IOException {
        Path dir = Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve("target").resolve("fault-suite").resolve(name);
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        return Files.createDirectories(dir);
    }
}
