package io.villa.flink.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The builder's defaults, toBuilder, and checks that name the bad field and the value it got. */
class MappingConfigTest {

    @Test
    void defaultsAreTheDocumentedMethod() {
        assertThat(MappingConfig.defaults())
                .isEqualTo(new MappingConfig(
                        0.07f, 0.2f, 128, 32, 4e-3f, 64, 2048, 32, 512, 100, 28, MappingConfig.CONV, 1, 42L));
    }

    @Test
    void toBuilderKeepsEveryFieldAndChangesOnlyWhatIsSet() {
        MappingConfig config = MappingConfig.builder()
                .optTemperature(0.5f)
                .optEpsilon(0.1f)
                .optHeadWidth(16)
                .optEmbeddingDim(8)
                .optLearningRate(1e-3f)
                .optBatchSize(8)
                .optReplaySize(64)
                .optPasses(4)
                .optWarmup(10, 20)
                .optRegionSize(12)
                .optEncoder(MappingConfig.PIXELS)
                .optCpuThreads(2)
                .optSeed(7L)
                .build();
        assertThat(config.toBuilder().build()).isEqualTo(config);
        MappingConfig changed = config.toBuilder().optSeed(8L).build();
        assertThat(changed.seed()).isEqualTo(8L);
        assertThat(changed.toBuilder().optSeed(7L).build()).isEqualTo(config);
    }

    @Test
    void aBadValueIsRefusedNamingItsFieldAndValue() {
        assertThatThrownBy(() -> MappingConfig.builder().optTemperature(-1f).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("temperature must be > 0, got -1.0");
        assertThatThrownBy(() -> MappingConfig.builder().optLearningRate(0f).build())
                .hasMessage("learningRate must be > 0, got 0.0");
        assertThatThrownBy(() -> MappingConfig.builder()
                        .optBatchSize(64)
                        .optReplaySize(32)
                        .build())
                .hasMessage("replaySize must be >= batchSize (64), got 32");
        assertThatThrownBy(() -> MappingConfig.builder().optRegionSize(30).build())
                .hasMessage("regionSize must be a multiple of 4 and >= 4, got 30");
        assertThatThrownBy(() -> MappingConfig.builder().optEncoder(" ").build())
                .hasMessage("encoder must be pixels, conv or a file, got ' '");
        assertThatThrownBy(() -> MappingConfig.builder().optWarmup(-1, 0).build())
                .hasMessage("warmupPairs must be >= 0, got -1");
        assertThatThrownBy(() -> MappingConfig.builder().optCpuThreads(0).build())
                .hasMessage("cpuThreads must be >= 1, got 0");
    }
}
