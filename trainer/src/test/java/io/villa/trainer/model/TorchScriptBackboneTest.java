package io.villa.trainer.model;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.villa.trainer.config.TrainerConfig;

/** What can be tested of TorchScript towers without Python to export one: clear failures. */
class TorchScriptBackboneTest {

    @Test
    void missingFileIsNamed(@TempDir Path dir) {
        TrainerConfig settings = TrainerConfig.builder()
                .optDevice("cpu")
                .optImageTowerScript(dir.resolve("nope.pt"))
                .build();
        assertThatThrownBy(() -> ContrastiveModel.create(settings, 2))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not found")
                .hasMessageContaining("nope.pt");
    }

    @Test
    void notTorchScriptIsRejectedWithTheReason(@TempDir Path dir) throws Exception {
        Path junk = Files.write(dir.resolve("tower.pt"), new byte[] {1, 2, 3, 4});
        TrainerConfig settings = TrainerConfig.builder()
                .optDevice("cpu")
                .optTextTowerScript(junk)
                .build();
        assertThatThrownBy(() -> ContrastiveModel.create(settings, 2))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not a loadable TorchScript module");
    }
}
