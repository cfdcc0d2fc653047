package io.villa.cli.commands;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ExceptionUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.villa.flink.recovery.RecoveryOptions;
import io.villa.flink.recovery.SavepointStop;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Runs one of our Flink jobs as a villa command does (decompose, join): in a local MiniCluster or on a cluster
 * (--flink-rest), attached or detached; Ctrl-C or SIGTERM stops it with a savepoint and prints how to resume from it.
 */
final class FlinkJobRunner {

    private static final Logger LOG = LoggerFactory.getLogger(FlinkJobRunner.class);

    private final CommandSpec spec;
    private final FlinkRunOptions run;
    private final RecoveryOptions recovery;
    private final String checkpointDir;
    private final String jobName;

    FlinkJobRunner(
            CommandSpec spec, FlinkRunOptions run, RecoveryOptions recovery, String checkpointDir, String jobName) {
        this.spec = spec;
        this.run = run;
        this.recovery = recovery;
        this.checkpointDir = checkpointDir;
        this.jobName = jobName;
    }

    /** A usage error when the options contradict each other (before anything is built). */
    void checkOptions() {
        recovery.conflict().ifPresent(message -> {
            throw new ParameterException(spec.commandLine(), message);
        });
    }

    /**
     * Where the job is built: a MiniCluster in this JVM with {@code localConfiguration} (which resumes what a killed
     * run left, per --resume), or the cluster at --flink-rest, where the checkpoints are the cluster's and only an
     * explicit --from-savepoint or --resume PATH restores one.
     */
    StreamExecutionEnvironment environment(Supplier<Configuration> localConfiguration) {
        if (run.flinkRest == null) {
            return StreamExecutionEnvironment.createLocalEnvironment(localConfiguration.get());
        }
        if (!Files.isRegularFile(run.jobJar)) {
            throw new IllegalArgumentException("job jar " + run.jobJar + " not found: build it with "
                    + "mvn -pl flink-jobs package, or pass --job-jar");
        }
        Configuration conf = new Configuration();
        recovery.explicitRestorePath().ifPresent(path -> conf.set(StateRecoveryOptions.SAVEPOINT_PATH, path));
        return StreamExecutionEnvironment.createRemoteEnvironment(
                run.flinkRest.host(),
                run.flinkRest.port(),
                conf,
                run.jobJar.toAbsolutePath().toString());
    }

    boolean isLocal() {
        return run.flinkRest == null;
    }

    /** Runs the job built into {@code env}: detached, or until it ends or a signal stops it with a savepoint. */
    int execute(StreamExecutionEnvironment env, String reading) throws Exception {
        if (run.flinkRest != null && run.detached) {
            JobClient job = env.executeAsync(jobName);
            System.out.println("submitted " + jobName + " to " + run.flinkRest + ": job id " + job.getJobID());
            return 0;
        }
        LOG.info(
                "running {} ({}), reading {}",
                jobName,
                run.flinkRest == null ? "local MiniCluster" : "cluster at " + run.flinkRest,
                reading);
        // the signal handlers go in before the job starts, so that a signal never finds the JVM's default (exit) in
        // place;
        // the job runs asynchronously so this thread can answer a signal while the MiniCluster is still up
        try (StopSignals signals = StopSignals.install()) {
            JobClient job = env.executeAsync(jobName);
            return awaitOrStop(job, signals.received());
        }
    }

    /**
     * Waits for the job's end or a stop request (a signal's name), whichever comes first; on a request, stops the job
     * with a savepoint and prints where it is and how to resume from it.
     */
    int awaitOrStop(JobClient job, CompletableFuture<String> stopRequest) throws Exception {
        CompletableFuture<JobExecutionResult> result = job.getJobExecutionResult();
        CompletableFuture.anyOf(result, stopRequest).handle((r, e) -> null).get();
        if (!result.isDone()) {
            return stopWithSavepoint(job, stopRequest.get());
        }
        JobExecutionResult done;
        try {
            done = result.get();
        } catch (ExecutionException e) {
            // as env.execute() reports it: the job's failure, not the future's wrapper
            throw ExceptionUtils.stripExecutionException(e) instanceof Exception cause ? cause : e;
        }
        System.out.printf("%s finished in %d ms%n", jobName, done.getNetRuntime());
        return 0;
    }

    private int stopWithSavepoint(JobClient job, String signal) throws Exception {
        String directory = recovery.savepointDirectory(checkpointDir);
        LOG.info(
                "{}: stopping {} with a savepoint in {} (again: stop at once, without one)",
                signal,
                jobName,
                directory);
        try {
            String path = SavepointStop.stop(job, directory, Duration.ofSeconds(run.stopTimeoutSeconds));
            System.out.println("savepoint: " + path);
            System.out.println("resume with: " + resumeCommand(path));
            return 0;
        } catch (SavepointStop.SavepointFailedException e) {
            LOG.error(
                    "{}; cancelling the job instead: its last retained checkpoint stays under {}",
                    e.getMessage(),
                    checkpointDir,
                    e);
            try {
                job.cancel().get(30, TimeUnit.SECONDS);
            } catch (Exception cancel) {
                LOG.warn("cancelling job {} failed too: {}", job.getJobID(), cancel.toString());
            }
            spec.commandLine()
                    .getErr()
                    .println("villa " + spec.name() + ": no savepoint (" + e.getMessage() + "); the last "
                            + "retained checkpoint under " + checkpointDir + " is left to resume from"
                            + (run.flinkRest == null ? " (--resume latest)" : ""));
            spec.commandLine().getErr().flush();
            return 1;
        }
    }

    /** This command line with --from-savepoint PATH in place of any --resume or --from-savepoint. */
    String resumeCommand(String savepoint) {
        List<String> original = spec.commandLine().getParseResult() == null
                ? List.of()
                : spec.commandLine().getParseResult().originalArgs();
        List<String> out = new ArrayList<>(List.of("villa"));
        int i = original.indexOf(spec.name());
        if (i < 0) {
            out.add(spec.name());
        }
        for (i = Math.max(i, 0); i < original.size(); i++) {
            String arg = original.get(i);
            if (arg.equals("--resume") || arg.equals("--from-savepoint")) {
                i++; // and its value
            } else if (!arg.startsWith("--resume=") && !arg.startsWith("--from-savepoint=")) {
                out.add(quoted(arg));
            }
        }
        out.add("--from-savepoint");
        out.add(quoted(savepoint));
        return String.join(" ", out);
    }

    private static String quoted(String arg) {
        return arg.matches("[A-Za-z0-9_./:=@%+,-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'";
    }
}
