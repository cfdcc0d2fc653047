package io.villa.cli.commands;

import java.nio.file.Path;

import picocli.CommandLine.Option;

/** Where a Flink job of ours runs (this process, or a cluster) and how long a stop may take: a picocli mixin. */
final class FlinkRunOptions {

    @Option(
            names = "--flink-rest",
            paramLabel = "HOST:PORT",
            converter = FlinkRestAddress.Converter.class,
            description =
                    "Submit to this Flink cluster's REST endpoint (JobManager) instead of running a local MiniCluster.")
    FlinkRestAddress flinkRest;

    @Option(
            names = "--job-jar",
            paramLabel = "FILE",
            defaultValue = "flink-jobs/target/villa-flink-job.jar",
            description = "The job jar shipped to the cluster with --flink-rest (default: ${DEFAULT-VALUE}).")
    Path jobJar;

    @Option(
            names = "--detached",
            description = "With --flink-rest: return once the cluster accepted the job (prints its id).")
    boolean detached;

    @Option(
            names = "--stop-timeout",
            defaultValue = "120",
            paramLabel = "SECONDS",
            description =
                    "How long a stop with a savepoint (Ctrl-C, SIGTERM) may take before the job is cancelled instead "
                            + "and the command fails (default: ${DEFAULT-VALUE}).")
    int stopTimeoutSeconds;
}
