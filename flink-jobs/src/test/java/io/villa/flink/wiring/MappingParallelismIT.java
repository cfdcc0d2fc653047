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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.villa.flink.mapping.MappingArtifact;
import io.villa.kafka.embedded.EmbeddedKafkaExtension;
import io.villa.records.ImageReportPair;
import io.villa.records.RegionAttributePair;
import io.villa.records.Split;

/**
 * One mapping model at any parallelism: the same input decomposed with 1, 2 and 4 mapping appliers gives one model
 * version sequence, bit-identical published models and the same validation F1, every pair exactly once. The TRAIN pairs
 * go first; the VAL pairs follow once the learner has published the version that learned from all of them, so every
 * VAL pair is decomposed by that version whatever the parallelism.
 */
class MappingParallelismIT {

    private static final Logger LOG = LoggerFactory.getLogger(MappingParallelismIT.class);

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(4)
            .build());

    /** What one run produced. */
    record Run(List<Long> versions, byte[] finalParameters, double valF1, int pairs) {}

    @Test
    void oneModelVersionSequenceAndOneF1AtEveryParallelism(@TempDir Path dir) throws Exception {
        var generator = TestPairs.generator(31, 8);
        List<ImageReportPair> train = TestPairs.take(generator, Split.TRAIN, 120);
        List<ImageReportPair> val = TestPairs.take(generator, Split.VAL, 30);
        // FAST_MAPPING: warm-up after 24 TRAIN pairs (10 steps), then 2 steps per 8 pairs
        long finalVersion = 10 + 2 * ((train.size() - 24) / 8);

        Run one = run(1, train, val, finalVersion, dir);
        for (int parallelism : new int[] {2, 4}) {
            Run other = run(parallelism, train, val, finalVersion, dir);
            LOG.info(
                    "mapping parallelism {}: versions {}, val F1 {} (parallelism 1: {})",
                    parallelism,
                    other.versions().size(),
                    other.valF1(),
                    one.valF1());
            assertThat(other.versions())
                    .as("version sequence at parallelism %d", parallelism)
                    .isEqualTo(one.versions());
            assertThat(other.finalParameters())
                    .as("final model at parallelism %d", parallelism)
                    .isEqualTo(one.finalParameters());
            assertThat(Math.abs(other.valF1() - one.valF1()))
                    .as("val F1 at parallelism %d against 1", parallelism)
                    .isLessThanOrEqualTo(0.01);
        }
        assertThat(one.versions()).startsWith(10L).endsWith(finalVersion);
    }

    private Run run(
            int parallelism, List<ImageReportPair> train, List<ImageReportPair> val, long finalVersion, Path dir)
            throws Exception {
        PipelineHarness job = new PipelineHarness(KAFKA.broker(), "parallel" + parallelism);
        Path models = dir.resolve("models-" + parallelism);
        JobClient client = job.start(job.args(
                dir.resolve("checkpoints-" + parallelism),
                "--mapping-parallelism",
                String.valueOf(parallelism),
                "--model-dir",
                models.toString(),
                "--publish-every",
                "1"));
        try {
            job.produce(new ArrayList<>(train));
            PipelineHarness.await(
                    () -> job.publishedVersions().contains(finalVersion), "version " + finalVersion + " published");
            job.produce(new ArrayList<>(val));
            int pairs = train.size() + val.size();
            List<RegionAttributePair> regions = job.awaitRegions(
                    rs -> rs.stream().filter(RegionAttributePair::getWholeImage).count() >= pairs);

            Map<String, Integer> wholeImages = PipelineHarness.countByKey(
                    regions.stream().filter(RegionAttributePair::getWholeImage).map(RegionAttributePair::getPairId));
            assertThat(wholeImages).hasSize(pairs);
            assertThat(wholeImages.values()).as("exactly once").containsOnly(1);
            assertThat(PipelineHarness.countByKey(regions.stream().map(r -> r.getPairId() + "#" + r.getRegionIndex()))
                            .values())
                    .containsOnly(1);
            assertThat(regions.stream()
                            .filter(r -> r.getSplit() == Split.VAL)
                            .map(RegionAttributePair::getModelVersion))
                    .as("every VAL pair decomposed by the final version")
                    .containsOnly(finalVersion);

            long correct = 0;
            long assigned = 0;
            for (RegionAttributePair r : regions) {
                if (!r.getWholeImage() && r.getSplit() == Split.VAL) {
                    assigned += r.getAttributes().size();
                    correct += r.getAttributes().stream()
                            .filter(r.getGroundTruth()::contains)
                            .count();
                }
            }
            long truePairs = val.stream()
                    .flatMap(p -> p.getGroundTruth().stream())
                    .mapToLong(t -> t.getAttributes().size())
                    .sum();
            double precision = (double) correct / assigned;
            double recall = (double) correct / truePairs;
            MappingArtifact published =
                    MappingArtifact.read(MappingArtifact.latest(models).orElseThrow());
            assertThat(published.version()).isEqualTo(finalVersion);
            return new Run(
                    job.publishedVersions(),
                    published.parameters(),
                    2 * precision * recall / (precision + recall),
                    pairs);
        } finally {
            client.cancel().get();
        }
    }
}
