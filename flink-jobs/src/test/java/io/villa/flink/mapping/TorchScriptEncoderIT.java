package io.villa.flink.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user-supplied TorchScript region encoder path, with a TorchScript file written by hand (no Python here). */
class TorchScriptEncoderIT {

    static MappingConfig config(Path script) {
        return MappingLearnerIT.config(script.toString());
    }

    @Test
    void headsLearnOnTopOfAFrozenScriptedEncoderAndSurviveARoundTrip(@TempDir Path dir) throws Exception {
        MappingConfig config = config(TorchScriptFiles.poolingEncoder(dir.resolve("encoder.pt")));
        List<MappingExample> train = MappingLearnerIT.images(160, 1);
        List<MappingExample> val = MappingLearnerIT.images(60, 2);
        try (MappingLearner learner = new MappingLearner(config, MappingLearnerIT.COLOURS.length)) {
            double before = MappingLearnerIT.quality(learner, val).f1();
            train.forEach(learner::learn);
            learner.train(200);
            double after = MappingLearnerIT.quality(learner, val).f1();
            assertThat(learner.isWarm()).isTrue();
            assertThat(after).isGreaterThan(before).isGreaterThan(0.9);
            try (MappingLearner restored =
                    new MappingLearner(config, MappingLearnerIT.COLOURS.length, learner.stateBytes())) {
                assertThat(restored.assign(val)).isEqualTo(learner.assign(val));
            }
        }
    }

    @Test
    void aFileThatIsNotTorchScriptIsRefusedWithItsName(@TempDir Path dir) throws Exception {
        Path junk = Files.write(dir.resolve("junk.pt"), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> new MappingLearner(config(junk), 4).close())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("junk.pt");
        assertThatThrownBy(() -> new MappingLearner(config(dir.resolve("missing.pt")), 4).close())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing.pt");
    }
}
