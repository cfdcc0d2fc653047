package io.villa.flink.recovery;

import java.time.Duration;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptionsInternal;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.RecoveryClaimMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The checkpointing, restart and restore set-up every job of ours runs with (decompose, join), from its options. */
public final class CheckpointSetup {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointSetup.class);

    private CheckpointSetup() {}

    /**
     * Exactly-once checkpoints every --checkpoint-interval under {@code checkpointDir} (retained on cancel), savepoints
     * in --savepoint-dir, the snapshot named with --from-savepoint or --resume PATH (checked here, before anything
     * starts; never claimed), and the restart strategy.
     */
    public static Configuration configuration(RecoveryOptions recovery, String checkpointDir) {
        Configuration conf = new Configuration();
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(recovery.checkpointIntervalMs));
        conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir);
        // a stop without a target directory in a local MiniCluster (whose configuration is this); a session cluster's
        // REST API reads only its own execution.checkpointing.savepoint-dir
        conf.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, recovery.savepointDirectory(checkpointDir));
        // a killed, failed or cancelled job leaves its last checkpoint to resume from; a finished one cleans up
        conf.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        recovery.explicitRestorePath().ifPresent(path -> {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, path);
            // a snapshot the user named stays theirs: Flink never deletes it (a retained checkpoint of our own is
            // claimed)
            conf.set(StateRecoveryOptions.RESTORE_MODE, RecoveryClaimMode.NO_CLAIM);
        });
        if (recovery.restartAttempts <= 0) {
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        } else {
            // restarts are for infrastructure (a broker or a machine away for a while): back off instead of
            // spending every attempt in the first seconds of an outage
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS, recovery.restartAttempts);
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF, Duration.ofSeconds(1));
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF, Duration.ofSeconds(30));
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER, 2.0);
            conf.set(
                    RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD,
                    Duration.ofMinutes(5));
        }
        return conf;
    }

    /**
     * For a run in a local MiniCluster: {@code conf} (from {@link #configuration}) with the job's fixed id and, per
     * {@code --resume latest}, the checkpoint a killed run left under {@code checkpointDir} (claimed: deleted once a
     * newer one exists). See {@link LocalResume}.
     */
    public static Configuration forLocalRun(
            Configuration conf, RecoveryOptions recovery, String checkpointDir, JobID id) {
        conf.set(PipelineOptionsInternal.PIPELINE_FIXED_JOB_ID, id.toHexString());
        if (conf.contains(StateRecoveryOptions.SAVEPOINT_PATH)) {
            LOG.info("starting from {}", conf.get(StateRecoveryOptions.SAVEPOINT_PATH));
            return conf;
        }
        LocalResume.restorePath(recovery.resumeMode(), checkpointDir, id).ifPresent(path -> {
            LOG.info("resuming from {} (--resume none starts afresh from the group's committed offsets)", path);
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, path);
            conf.set(StateRecoveryOptions.RESTORE_MODE, RecoveryClaimMode.CLAIM);
        });
        return conf;
    }
}
