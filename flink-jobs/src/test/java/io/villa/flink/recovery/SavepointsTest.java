package io.villa.flink.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.RecoveryClaimMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.villa.flink.DecomposeJob;
import io.villa.flink.DecomposeOptions;
import picocli.CommandLine;

/** --from-savepoint and --savepoint-dir, as the job's options read them: checked before anything starts. */
class SavepointsTest {

    @Test
    void theDefaultSavepointDirectoryIsBesideTheCheckpointDirectory() {
        assertThat(Savepoints.defaultDirectory("file:///tmp/villa/decompose-checkpoints"))
                .isEqualTo("file:///tmp/villa/decompose-savepoints");
        assertThat(Savepoints.defaultDirectory("file:///tmp/villa/decompose-checkpoints/"))
                .isEqualTo("file:///tmp/villa/decompose-savepoints");
        assertThat(Savepoints.defaultDirectory("s3://bucket/villa/ckpt"))
                .isEqualTo("s3://bucket/villa/ckpt-savepoints");
        assertThat(Savepoints.defaultDirectory("/data/checkpoints")).isEqualTo("/data/savepoints");
        assertThat(options().savepointDirectory()).isEqualTo("file:///tmp/villa/decompose-savepoints");
        assertThat(options("--savepoint-dir", "file:///elsewhere").savepointDirectory())
                .isEqualTo("file:///elsewhere");
    }

    @Test
    void aSavepointThatIsNotThereFailsAtOnceNamingTheOptionAndThePath(@TempDir Path dir) {
        Path missing = dir.resolve("savepoint-gone");
        assertThatThrownBy(() -> DecomposeJob.configuration(options("--from-savepoint", missing.toString())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--from-savepoint " + missing + ": no such file or directory");
        assertThatThrownBy(() -> DecomposeJob.configuration(
                        options("--from-savepoint", missing.toUri().toString())))
                .hasMessageStartingWith("--from-savepoint file:")
                .hasMessageEndingWith(": no such file or directory");
        assertThatThrownBy(() -> DecomposeJob.configuration(options("--resume", missing.toString())))
                .hasMessage("--resume " + missing + ": no such file or directory");
        // a directory, but not a snapshot
        assertThatThrownBy(() -> DecomposeJob.configuration(options("--from-savepoint", dir.toString())))
                .hasMessageStartingWith("--from-savepoint " + dir
                        + " is not a savepoint or retained checkpoint: it holds no _metadata");
    }

    @Test
    void fromSavepointAndResumeTogetherAreRefused(@TempDir Path dir) {
        assertThatThrownBy(() -> options("--from-savepoint", dir.toString(), "--resume", "latest")
                        .recovery
                        .explicitRestorePath())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--from-savepoint " + dir + " and --resume latest both say where to start");
    }

    @Test
    void aSavepointIsRestoredWithoutClaimingItLocallyAndOnACluster(@TempDir Path dir) throws Exception {
        Path savepoint = Files.createDirectories(dir.resolve("savepoint-1"));
        Files.writeString(savepoint.resolve("_metadata"), "");
        for (String path : List.of(
                savepoint.toString(),
                savepoint.toUri().toString(),
                savepoint.resolve("_metadata").toString(),
                "s3://bucket/savepoint-x")) {
            DecomposeOptions o = options(
                    "--from-savepoint",
                    path,
                    "--checkpoint-dir",
                    dir.resolve("ck").toUri().toString());
            for (Configuration conf : List.of(DecomposeJob.configuration(o), DecomposeJob.localConfiguration(o))) {
                assertThat(conf.get(StateRecoveryOptions.SAVEPOINT_PATH)).isEqualTo(path);
                assertThat(conf.get(StateRecoveryOptions.RESTORE_MODE)).isEqualTo(RecoveryClaimMode.NO_CLAIM);
            }
        }
        // neither option: latest, and with nothing to resume a fresh start
        DecomposeOptions fresh =
                options("--checkpoint-dir", dir.resolve("ck").toUri().toString());
        assertThat(fresh.recovery.resumeMode()).isEqualTo(LocalResume.LATEST);
        assertThat(DecomposeJob.localConfiguration(fresh).getOptional(StateRecoveryOptions.SAVEPOINT_PATH))
                .isEmpty();
    }

    private static DecomposeOptions options(String... args) {
        DecomposeOptions options = new DecomposeOptions();
        new CommandLine(options).parseArgs(args);
        return options;
    }
}
