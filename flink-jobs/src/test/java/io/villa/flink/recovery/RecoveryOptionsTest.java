package io.villa.flink.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.villa.flink.DecomposeOptions;
import io.villa.flink.join.JoinOptions;
import picocli.CommandLine;

class RecoveryOptionsTest {

    @Test
    void bothJobsTakeTheSameRecoveryOptions() {
        String[] args = {
            "--checkpoint-interval",
            "1234",
            "--restart-attempts",
            "3",
            "--resume",
            "none",
            "--savepoint-dir",
            "file:///sp",
            "--partition-discovery-interval",
            "777"
        };
        DecomposeOptions decompose = new DecomposeOptions();
        new CommandLine(decompose).parseArgs(args);
        JoinOptions join = new JoinOptions();
        new CommandLine(join).parseArgs(args);
        for (RecoveryOptions r : new RecoveryOptions[] {decompose.recovery, join.recovery}) {
            assertThat(r.checkpointIntervalMs).isEqualTo(1234);
            assertThat(r.restartAttempts).isEqualTo(3);
            assertThat(r.resumeMode()).isEqualTo(LocalResume.NONE);
            assertThat(r.savepointDirectory("file:///ck")).isEqualTo("file:///sp");
            assertThat(r.partitionDiscoveryIntervalMs).isEqualTo(777);
        }
    }

    @Test
    void theSavepointDirectoryDefaultsBesideEachJobsCheckpoints() {
        DecomposeOptions decompose = new DecomposeOptions();
        new CommandLine(decompose).parseArgs();
        JoinOptions join = new JoinOptions();
        new CommandLine(join).parseArgs();
        assertThat(decompose.savepointDirectory()).isEqualTo("file:///tmp/villa/decompose-savepoints");
        assertThat(join.savepointDirectory()).isEqualTo("file:///tmp/villa/join-savepoints");
    }

    @Test
    void resumeAndFromSavepointTogetherAreRefusedNamingBoth() {
        RecoveryOptions r = new RecoveryOptions();
        new CommandLine(r).parseArgs("--resume", "latest", "--from-savepoint", "/sp/1");
        assertThat(r.conflict())
                .hasValueSatisfying(m -> assertThat(m).contains("--from-savepoint /sp/1", "--resume latest"));
        assertThatThrownBy(r::explicitRestorePath)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pass only one");
    }
}
