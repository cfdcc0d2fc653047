package io.villa.flink.recovery;

import java.util.Optional;

import picocli.CommandLine.Option;

/**
 * How a job of ours checkpoints, restarts and restores (decompose, join): a picocli mixin. The checkpoint directory
 * stays with each job's options, since its default names the job.
 */
public class RecoveryOptions {

    @Option(
            names = "--checkpoint-interval",
            defaultValue = "10000",
            paramLabel = "MS",
            description =
                    "Checkpoint interval in ms; outputs become visible to read-committed consumers at each checkpoint "
                            + "(default: ${DEFAULT-VALUE}).")
    public long checkpointIntervalMs;

    @Option(
            names = "--restart-attempts",
            defaultValue = "10",
            description =
                    "Restarts in a row from the last checkpoint (1 s, doubling to 30 s apart; the count resets after 5 quiet minutes) "
                            + "before the job fails; for broker or machine faults, since no record restarts the job; "
                            + "0: none (default: ${DEFAULT-VALUE}).")
    public int restartAttempts;

    // no defaultValue: null means latest, so that --resume given together with --from-savepoint can be told apart
    @Option(
            names = "--resume",
            paramLabel = "latest|none|PATH",
            description = {
                "Where to restore the job's state from. latest (local runs): the newest checkpoint this job (same --group-id "
                        + "and output topic) left under --checkpoint-dir when it was killed, failed or cancelled, "
                        + "else a fresh start from the "
                        + "group's committed offsets; none: always fresh; PATH: that checkpoint or savepoint (also with --flink-rest), "
                        + "as --from-savepoint (default: latest)."
            })
    public String resume;

    @Option(
            names = "--from-savepoint",
            paramLabel = "PATH",
            description = {
                "Start from this savepoint or retained checkpoint (its directory, or its _metadata file; a file: URI or "
                        + "path is checked before anything starts), locally and with --flink-rest. The explicit form of --resume PATH; "
                        + "not together with --resume."
            })
    public String fromSavepoint;

    @Option(
            names = "--savepoint-dir",
            paramLabel = "URI",
            description = {
                "Where a stop with a savepoint writes it (Ctrl-C or SIGTERM of a local run, villa decompose stop) "
                        + "(default: beside --checkpoint-dir, its name with savepoints for checkpoints, e.g. "
                        + "file:///tmp/villa/decompose-savepoints)."
            })
    public String savepointDir;

    @Option(
            names = "--partition-discovery-interval",
            defaultValue = "60000",
            paramLabel = "MS",
            description =
                    "How often the sources look for partitions added to their topics (unbounded runs; default: ${DEFAULT-VALUE}).")
    public long partitionDiscoveryIntervalMs;

    /** What --resume says: latest, none or a path (latest when not given). */
    public String resumeMode() {
        return resume == null ? LocalResume.LATEST : resume;
    }

    /** The message when both --from-savepoint and --resume are given; empty when they are not. */
    public Optional<String> conflict() {
        if (fromSavepoint != null && resume != null) {
            return Optional.of("--from-savepoint " + fromSavepoint + " and --resume " + resume
                    + " both say where to start: pass only one (--from-savepoint PATH is --resume PATH)");
        }
        return Optional.empty();
    }

    /**
     * The snapshot named explicitly to start from (--from-savepoint, or --resume PATH), checked: it must exist and hold
     * _metadata (file: URIs and paths). Empty for --resume latest or none.
     *
     * @throws IllegalArgumentException naming the option and the value, if both are given or the snapshot is not there
     */
    public Optional<String> explicitRestorePath() {
        conflict().ifPresent(message -> {
            throw new IllegalArgumentException(message);
        });
        if (fromSavepoint != null) {
            Savepoints.checkRestorable(fromSavepoint, "--from-savepoint");
            return Optional.of(fromSavepoint);
        }
        String mode = resumeMode();
        if (LocalResume.LATEST.equals(mode) || LocalResume.NONE.equals(mode)) {
            return Optional.empty();
        }
        Savepoints.checkRestorable(mode, "--resume");
        return Optional.of(mode);
    }

    /** Where a stop with a savepoint writes: --savepoint-dir, else beside {@code checkpointDir}. */
    public String savepointDirectory(String checkpointDir) {
        return savepointDir != null ? savepointDir : Savepoints.defaultDirectory(checkpointDir);
    }
}
