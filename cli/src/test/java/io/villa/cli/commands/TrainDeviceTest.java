package io.villa.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.villa.cli.VillaCommand;
import io.villa.djl.EngineSetup;
import io.villa.trainer.device.GpuInventory;
import picocli.CommandLine;

/** villa train --device gpu where DJL finds no GPU: one line, a non-zero exit, before anything else is touched. */
class TrainDeviceTest {

    @Test
    void trainOnAGpuThatIsNotThereExitsNonZeroWithOneLineAndTouchesNothing(@TempDir Path dir) {
        EngineSetup.start(0);
        GpuInventory found = GpuInventory.ofEngine();
        assumeTrue(found.gpuCount() == 0, "this machine's PyTorch has a GPU: " + found.describe());
        Path checkpoints = dir.resolve("trainer");
        StringWriter err = new StringWriter();
        CommandLine villa = VillaCommand.commandLine();
        villa.setErr(new PrintWriter(err));

        // port 1: nothing listens there, so a command that reached for Kafka first would hang in its timeouts instead
        int exit = villa.execute(
                "train",
                "--device",
                "gpu",
                "--bootstrap",
                "127.0.0.1:1",
                "--checkpoint-dir",
                checkpoints.toString(),
                "--no-progress");

        assertThat(exit).isEqualTo(1);
        String firstLine = err.toString().lines().findFirst().orElse("");
        assertThat(firstLine)
                .isEqualTo("villa train: device gpu asks for GPU 0, but " + found.describe()
                        + "; not falling back to the CPU (use --device cpu or auto, or a CUDA build: README.md, GPU)");
        assertThat(err.toString()).doesNotContain("\tat ");
        assertThat(checkpoints).as("no checkpoint store was opened").doesNotExist();
    }
}
