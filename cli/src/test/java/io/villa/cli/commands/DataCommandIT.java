package io.villa.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.villa.cli.VillaCommand;
import io.villa.producers.mnist.MnistCache;

/**
 * villa data mnist into an empty directory, on the cli's own class path: the first run of a fresh
 * machine. (With Flink's older commons-io winning on this class path, unpacking failed.)
 */
class DataCommandIT {

    @Test
    void fetchesMnistIntoAnEmptyCache(@TempDir Path dir) {
        int exit = VillaCommand.commandLine().execute("data", "mnist", "--dir", dir.toString());

        assertThat(exit).isZero();
        for (String name : MnistCache.FILES) {
            assertThat(dir.resolve(name)).isNotEmptyFile();
        }
    }
}
