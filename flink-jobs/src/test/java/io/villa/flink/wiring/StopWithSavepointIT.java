package io.villa.flink.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.villa.flink.DecomposeJob;
import io.villa.flink.DecomposeOptions;
import io.villa.flink.recovery.SavepointStop;
import io.villa.kafka.embedded.EmbeddedKafkaExtension;
import io.villa.records.ImageReportPair;
import io.villa.records.RegionAttributePair;
import io.villa.records.Split;

/**
 * A local run is stopped with a savepoint the way {@code villa decompose} does on SIGTERM ({@link SavepointStop}), and
 * started again from it with --from-savepoint and twice the mapping learners: downstream, read_committed, every region
 * of every pair exactly once, and the restored model carries on (no model version of the second run below the last
 * of the first).
 */
class StopWithSavepointIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @Test
    void aRunStoppedWithASavepointCarriesOnFromItWithMoreLearnersWithoutLossOrDuplicates(@TempDir Path work)
            throws Exception {
        PipelineHarness job = new PipelineHarness(KAFKA.broker(), "savepoint");
        var generator = TestPairs.generator(41, 8);
        List<ImageReportPair> train = TestPairs.take(generator, Split.TRAIN, 60);
        List<ImageReportPair> val = TestPairs.take(generator, Split.VAL, 10);
        List<Object> first = new ArrayList<>(train.subList(0, 40));
        first.addAll(val.subList(0, 5));
        job.produce(first);

        Path savepoints = work.resolve("savepoints");
        List<String> args = job.args(
                work.resolve("checkpoints"),
                "--checkpoint-interval",
                "500",
                "--savepoint-dir",
                savepoints.toUri().toString());
        DecomposeOptions options = PipelineHarness.parse(args);
        JobClient running = environment(options).executeAsync("decompose-savepoint-1");
        job.awaitRegions(rs -> wholeImages(rs).size() >= first.size());
        String savepoint = SavepointStop.stop(running, options.savepointDirectory(), SavepointStop.DEFAULT_TIMEOUT);
        assertThat(running.getJobStatus().get())
                .as("stopped, not draining: the job ended")
                .isEqualTo(JobStatus.FINISHED);
        Path savepointPath = Path.of(java.net.URI.create(savepoint));
        assertThat(savepointPath).as("in --savepoint-dir").startsWith(savepoints);
        assertThat(savepointPath.resolve("_metadata")).isRegularFile();

        List<RegionAttributePair> firstRun = job.regions();
        assertThat(wholeImages(firstRun).keySet())
                .as("the first run decomposed its pairs")
                .containsExactlyInAnyOrderElementsOf(ids(first));
        long lastVersion = firstRun.stream()
                .mapToLong(RegionAttributePair::getModelVersion)
                .max()
                .orElseThrow();
        assertThat(lastVersion).as("the first run's model trained").isPositive();
        Set<String> firstKeys = firstRun.stream().map(StopWithSavepointIT::key).collect(Collectors.toSet());

        List<Object> rest = new ArrayList<>(train.subList(40, train.size()));
        rest.addAll(val.subList(5, val.size()));
        job.produce(rest);
        List<String> resumedArgs = new ArrayList<>(args);
        resumedArgs.addAll(List.of("--from-savepoint", savepoint, "--mapping-parallelism", "2"));
        JobClient resumed = environment(PipelineHarness.parse(resumedArgs)).executeAsync("decompose-savepoint-2");
        List<String> all = Stream.concat(train.stream(), val.stream())
                .map(p -> p.getPairId().toString())
                .toList();
        try {
            job.awaitRegions(rs -> wholeImages(rs).size() >= all.size());
            Thread.sleep(1500); // a few more checkpoints: a duplicate would show now
        } finally {
            resumed.cancel().get();
        }

        List<RegionAttributePair> regions = job.regions();
        assertThat(wholeImages(regions).keySet()).as("no pair missing").containsExactlyInAnyOrderElementsOf(all);
        Map<String, Integer> perRegion =
                PipelineHarness.countByKey(regions.stream().map(StopWithSavepointIT::key));
        assertThat(perRegion.values())
                .as("each region of each pair exactly once")
                .containsOnly(1);
        List<Long> secondRunVersions = regions.stream()
                .filter(r -> !firstKeys.contains(key(r)))
                .map(RegionAttributePair::getModelVersion)
                .toList();
        assertThat(secondRunVersions).as("the second run wrote the rest").isNotEmpty();
        assertThat(secondRunVersions)
                .as("model versions after the restore (the first run ended at %d)", lastVersion)
                .allMatch(v -> v >= lastVersion);
        assertThat(job.readCommitted(job.topics.deadLetters())).isEmpty();
    }

    /** A bounded run resumed from a savepoint of an unbounded one reads to the end offsets found at its start, and ends. */
    @Test
    void aBoundedRunResumedFromASavepointEnds(@TempDir Path work) throws Exception {
        PipelineHarness job = new PipelineHarness(KAFKA.broker(), "savepoint-bounded");
        var generator = TestPairs.generator(42, 8);
        List<ImageReportPair> train = TestPairs.take(generator, Split.TRAIN, 50);
        job.produce(new ArrayList<>(train.subList(0, 30)));
        List<String> args = job.args(
                work.resolve("checkpoints"),
                "--checkpoint-interval",
                "500",
                "--savepoint-dir",
                work.resolve("savepoints").toUri().toString());
        DecomposeOptions options = PipelineHarness.parse(args);
        JobClient running = environment(options).executeAsync("decompose-savepoint-b1");
        job.awaitRegions(rs -> wholeImages(rs).size() >= 30);
        String savepoint = SavepointStop.stop(running, options.savepointDirectory(), SavepointStop.DEFAULT_TIMEOUT);
        job.produce(new ArrayList<>(train.subList(30, train.size())));

        List<String> resumedArgs = new ArrayList<>(args);
        resumedArgs.addAll(List.of("--from-savepoint", savepoint, "--bounded"));
        JobClient resumed = environment(PipelineHarness.parse(resumedArgs)).executeAsync("decompose-savepoint-b2");
        try {
            resumed.getJobExecutionResult().get(120, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            resumed.cancel().get();
            throw new AssertionError(
                    "the bounded run resumed from a savepoint of an unbounded one did not end within 120 s", e);
        }
        Map<String, Integer> whole = wholeImages(job.regions());
        assertThat(whole.keySet())
                .containsExactlyInAnyOrderElementsOf(
                        train.stream().map(p -> p.getPairId().toString()).toList());
        assertThat(whole.values()).containsOnly(1);
    }

    private static String key(RegionAttributePair r) {
        return r.getPairId() + "#" + r.getRegionIndex();
    }

    private static List<String> ids(List<Object> pairs) {
        return pairs.stream()
                .map(p -> ((ImageReportPair) p).getPairId().toString())
                .toList();
    }

    private static Map<String, Integer> wholeImages(List<RegionAttributePair> regions) {
        return PipelineHarness.countByKey(regions.stream()
                .filter(RegionAttributePair::getWholeImage)
                .map(r -> r.getPairId().toString()));
    }

    /** What {@code villa decompose} does for a local run. */
    private static StreamExecutionEnvironment environment(DecomposeOptions options) throws Exception {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(DecomposeJob.localConfiguration(options));
        DecomposeJob.build(env, options);
        return env;
    }
}
