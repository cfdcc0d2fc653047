package io.villa.trainer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** The trainer's configuration: builder defaults, toBuilder, the checkpoint round trip, and checks that name the field. */
class TrainerConfigTest {

    @Test
    void defaultsAreTheTrainersKnownSetUp() {
        assertThat(TrainerConfig.defaults())
                .isEqualTo(new TrainerConfig(
                        TrainingMode.VILLA, 84, 64, 64, 1024, 64, 2e-3f, 0.07f, true, 42L, null, null, null));
    }

    @Test
    void toBuilderChangesOnlyWhatIsSetAndTheCheckpointKeepsAllButTheDevice() {
        TrainerConfig config = TrainerConfig.builder()
                .optMode(TrainingMode.CLIP)
                .optImageSize(28)
                .optEmbeddingDim(32)
                .optTokenDim(16)
                .optHashBuckets(8)
                .optBatchSize(4)
                .optLearningRate(1e-3f)
                .optTemperature(0.5f)
                .optLearnableTemperature(false)
                .optSeed(7L)
                .optDevice("cpu")
                .optImageTowerScript(Path.of("image.pt"))
                .optTextTowerScript(Path.of("text.pt"))
                .build();
        assertThat(config.toBuilder().build()).isEqualTo(config);
        assertThat(config.toBuilder().optSeed(8L).build())
                .isEqualTo(new TrainerConfig(
                        TrainingMode.CLIP,
                        28,
                        32,
                        16,
                        8,
                        4,
                        1e-3f,
                        0.5f,
                        false,
                        8L,
                        "cpu",
                        Path.of("image.pt"),
                        Path.of("text.pt")));
        assertThat(TrainerConfig.fromProperties(config.toProperties()))
                .isEqualTo(config.toBuilder().optDevice(null).build());
    }

    @Test
    void aBadValueIsRefusedNamingItsFieldAndValue() {
        assertThatThrownBy(() -> TrainerConfig.builder().optTemperature(-1f).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("temperature must be > 0, got -1.0");
        assertThatThrownBy(() -> TrainerConfig.builder().optLearningRate(0f).build())
                .hasMessage("learningRate must be > 0, got 0.0");
        assertThatThrownBy(() -> TrainerConfig.builder().optBatchSize(1).build())
                .hasMessage("batchSize must be >= 2, got 1");
        assertThatThrownBy(() -> TrainerConfig.builder().optImageSize(4).build())
                .hasMessage("imageSize must be >= 8, got 4");
        assertThatThrownBy(() -> TrainerConfig.builder().optHashBuckets(0).build())
                .hasMessage("hashBuckets must be >= 1, got 0");
        assertThatThrownBy(() -> TrainerConfig.builder().optMode(null).build()).hasMessageStartingWith("mode must be");
    }

    @Test
    void recordLimitsAndPassPlansNameTheirBadField() {
        assertThatThrownBy(() -> RecordLimits.builder().optTokens(0).build()).hasMessage("tokens must be >= 1, got 0");
        assertThatThrownBy(() -> RecordLimits.builder().optImageSide(-3).build())
                .hasMessage("imageSide must be >= 1, got -3");
        assertThatThrownBy(() -> new PassPlan(0, 5)).hasMessage("passes must be >= 1, got 0");
        assertThatThrownBy(() -> new PassPlan(3, 0)).hasMessage("patience must be >= 1, got 0");
    }
}
