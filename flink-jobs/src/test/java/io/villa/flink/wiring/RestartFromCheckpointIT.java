package io.villa.flink.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.villa.flink.mapping.MappingArtifact;
import io.villa.flink.operators.FailureInjection;
import io.villa.kafka.embedded.EmbeddedKafkaExtension;
import io.villa.records.ImageReportPair;
import io.villa.records.RegionAttributePair;
import io.villa.records.Split;

/**
 * The job fails once in the middle of the stream (the mapping operator throws: fault injection, --inject-failure-after)
 * and the exponential-delay restart strategy brings it back from its last checkpoint: downstream, read_committed, no
 * pair is missing, none is decomposed twice, and the mapping model continued from its checkpointed parameters (model
 * versions never go back).
 */
class RestartFromCheckpointIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static final int WARMUP_STEPS = 10;

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    /**
     * Everything that defines the model is in the checkpoint (parameters, optimizer moments, replay buffer, schedule):
     * a run with an injected failure and its restore ends with the very model an uninterrupted run on the same input
     * ends with, through the same sequence of published versions.
     */
    @Test
    void aRunWithAFailureEndsWithExactlyTheModelOfAnUninterruptedRun(@TempDir Path dir) throws Exception {
        var generator = TestPairs.generator(22, 8);
        List<ImageReportPair> train = TestPairs.take(generator, Split.TRAIN, 160);
        long finalVersion =
                WARMUP_STEPS + 2 * ((train.size() - 24) / 8); // FAST_MAPPING: 2 steps per 8 pairs after warm-up
        FailureInjection.reset();
        Published uninterrupted = learn("uninterrupted", train, finalVersion, dir, 0);
        assertThat(FailureInjection.fired()).isFalse();
        Published restored = learn("interrupted", train, finalVersion, dir, 100);
        assertThat(FailureInjection.fired()).as("the injected failure happened").isTrue();
        assertThat(restored.versions())
                .as("one version sequence across the restore")
                .isEqualTo(uninterrupted.versions());
        assertThat(restored.parameters()).as("the final model, bit for bit").isEqualTo(uninterrupted.parameters());
    }

    record Published(List<Long> versions, byte[] parameters) {}

    private static Published learn(
            String prefix, List<ImageReportPair> train, long finalVersion, Path dir, long failAfter) throws Exception {
        PipelineHarness job = new PipelineHarness(KAFKA.broker(), prefix);
        Path models = dir.resolve(prefix + "-models");
        JobClient client = job.start(job.args(
                dir.resolve(prefix + "-checkpoints"),
                "--checkpoint-interval",
                "500",
                "--inject-failure-after",
                String.valueOf(failAfter),
                "--restart-attempts",
                "3",
                "--warmup-steps",
                String.valueOf(WARMUP_STEPS),
                "--model-dir",
                models.toString(),
                "--publish-every",
                "1"));
        try {
            if (failAfter > 0) {
                // the failure needs a completed checkpoint before pair failAfter: hold the rest back until a committed
                // announcement shows one (on a fast machine the whole stream could otherwise pass before the first)
                int held = (int) failAfter + 10;
                job.produce(new ArrayList<>(train.subList(0, held)));
                PipelineHarness.await(() -> !job.publishedVersions().isEmpty(), "a checkpoint completed");
                job.produce(new ArrayList<>(train.subList(held, train.size())));
            } else {
                job.produce(new ArrayList<>(train));
            }
            PipelineHarness.await(
                    () -> job.publishedVersions().contains(finalVersion), "version " + finalVersion + " published");
            // read_committed: what the failed attempt announced after its last checkpoint was aborted with it
            List<Long> versions = job.publishedVersions();
            MappingArtifact last =
                    MappingArtifact.read(MappingArtifact.latest(models).orElseThrow());
            assertThat(last.version()).isEqualTo(finalVersion);
            return new Published(versions, last.parameters());
        } finally {
            client.cancel().get();
        }
    }

    @Test
    void aFailureMidStreamRestoresFromTheCheckpointWithoutLossOrDuplicatesAndKeepsTheModel(@TempDir Path checkpoints)
            throws Exception {
        FailureInjection.reset();
        PipelineHarness job = new PipelineHarness(KAFKA.broker(), "restart");
        var generator = TestPairs.generator(21, 8);
        List<ImageReportPair> train = TestPairs.take(generator, Split.TRAIN, 200);
        List<ImageReportPair> val = TestPairs.take(generator, Split.VAL, 40);
        List<ImageReportPair> first = train.subList(0, 100);
        // two broken records shortly before the failure point: replayed after the restore, still one dead letter each
        List<Object> rest = new ArrayList<>(train.subList(100, 120));
        rest.add(PipelineHarness.bytes("not a record"));
        rest.add(TestPairs.emptyReport(train.get(0)));
        rest.addAll(train.subList(120, train.size()));
        rest.addAll(val);

        // throw once after 150 pairs: past a checkpoint that already holds a model trained beyond warm-up
        JobClient client = job.start(job.args(
                checkpoints,
                "--checkpoint-interval",
                "500",
                "--inject-failure-after",
                "150",
                "--restart-attempts",
                "3",
                "--warmup-steps",
                String.valueOf(WARMUP_STEPS)));
        try {
            job.produce(new ArrayList<>(first));
            // a committed announcement of a version trained past warm-up: the checkpoint that committed it holds that
            // model
            PipelineHarness.await(
                    () -> job.publishedVersions().stream().anyMatch(v -> v > WARMUP_STEPS + 4),
                    "a version past warm-up published");
            assertThat(FailureInjection.fired())
                    .as("no failure before the rest of the stream")
                    .isFalse();
            job.produce(rest);

            int pairs = train.size() + val.size();
            List<RegionAttributePair> regions = job.awaitRegions(
                    rs -> rs.stream().filter(RegionAttributePair::getWholeImage).count() >= pairs);
            assertThat(FailureInjection.fired())
                    .as("the injected failure happened")
                    .isTrue();

            Map<String, Integer> wholeImages = PipelineHarness.countByKey(
                    regions.stream().filter(RegionAttributePair::getWholeImage).map(RegionAttributePair::getPairId));
            List<String> ids = new ArrayList<>(
                    train.stream().map(ImageReportPair::getPairId).toList());
            ids.addAll(val.stream().map(ImageReportPair::getPairId).toList());
            assertThat(wholeImages.keySet()).as("no pair missing").containsExactlyInAnyOrderElementsOf(ids);
            assertThat(wholeImages.values()).as("no pair decomposed twice").containsOnly(1);
            Map<String, Integer> perRegion =
                    PipelineHarness.countByKey(regions.stream().map(r -> r.getPairId() + "#" + r.getRegionIndex()));
            assertThat(perRegion.values())
                    .as("no region-attribute pair duplicated")
                    .containsOnly(1);

            Map<String, Integer> letters = PipelineHarness.countByKey(
                    job.readCommitted(job.topics.deadLetters()).stream().map(r -> r.key()));
            assertThat(letters)
                    .as("one dead letter per broken record, despite the replay")
                    .containsOnlyKeys("raw-20", "broken-report");
            assertThat(letters.values()).containsOnly(1);

            // the learner kept its parameters: a fresh model would have restarted at version 0 and warmed up again
            long previous = -1;
            for (RegionAttributePair r : regions) {
                assertThat(r.getModelVersion())
                        .as("model version of %s after %d", r.getPairId(), previous)
                        .isGreaterThanOrEqualTo(previous);
                previous = r.getModelVersion();
            }
            assertThat(previous).isGreaterThan(WARMUP_STEPS + 4);
        } finally {
            client.cancel().get();
        }
    }
}
