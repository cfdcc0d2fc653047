package io.villa.flink.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.villa.kafka.embedded.EmbeddedKafkaExtension;
import io.villa.records.ImageReportPair;
import io.villa.records.RegionAttributePair;
import io.villa.records.Split;
import io.villa.schemas.Codecs;

/**
 * The whole job, scaled out (two partitions, decode/prepare at parallelism 2), over TRAIN and VAL DocMNIST pairs:
 * read_committed, every pair is decomposed exactly once, each region at most once, by a warm model, keyed by pair id.
 */
class ExactlyOncePipelineIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static final int WARMUP_STEPS = 10;

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(3)
            .build());

    @Test
    void everyValidPairIsDecomposedExactlyOnce(@TempDir Path checkpoints) throws Exception {
        PipelineHarness job = new PipelineHarness(KAFKA.broker(), "exactly-once", 2);
        var generator = TestPairs.generator(31, 8);
        List<ImageReportPair> pairs = new ArrayList<>(TestPairs.take(generator, Split.TRAIN, 80));
        pairs.addAll(TestPairs.take(generator, Split.VAL, 30));
        job.produce(new ArrayList<>(pairs));

        job.run(job.args(
                checkpoints, "--bounded", "--parallelism", "2", "--warmup-steps", String.valueOf(WARMUP_STEPS)));

        List<ConsumerRecord<String, byte[]>> records = job.readCommitted(job.topics.regionAttributePairs());
        List<RegionAttributePair> regions = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            RegionAttributePair region = Codecs.REGION_ATTRIBUTE_PAIR.decode(r.value());
            assertThat(r.key()).as("key = pair id").isEqualTo(region.getPairId());
            regions.add(region);
        }
        Map<String, Integer> wholeImages = PipelineHarness.countByKey(
                regions.stream().filter(RegionAttributePair::getWholeImage).map(RegionAttributePair::getPairId));
        assertThat(wholeImages.keySet())
                .containsExactlyInAnyOrderElementsOf(
                        pairs.stream().map(ImageReportPair::getPairId).toList());
        assertThat(wholeImages.values()).containsOnly(1);
        assertThat(PipelineHarness.countByKey(regions.stream().map(r -> r.getPairId() + "#" + r.getRegionIndex()))
                        .values())
                .containsOnly(1);

        // nothing decomposed by an untrained model; VAL pairs decomposed too, carrying their ground truth
        assertThat(regions).allSatisfy(r -> assertThat(r.getModelVersion()).isGreaterThanOrEqualTo(WARMUP_STEPS));
        assertThat(regions)
                .filteredOn(r -> r.getSplit() == Split.VAL && !r.getWholeImage())
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.getGroundTruth()).isNotNull());
        assertThat(regions).filteredOn(r -> !r.getWholeImage()).allSatisfy(r -> {
            assertThat(r.getAttributes()).isNotEmpty();
            assertThat(r.getText()).isNotBlank();
            assertThat(r.getRegionImage().getData().remaining()).isPositive();
        });
        assertThat(job.readCommitted(job.topics.deadLetters()))
                .as("no dead letters from valid pairs")
                .isEmpty();
    }
}
