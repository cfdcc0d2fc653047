package io.villa.cli.commands;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ExceptionUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.villa.flink.DecomposeJob;
import io.villa.flink.DecomposeOptions;
import io.villa.flink.recovery.SavepointStop;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * villa decompose: the decomposition job (flink-jobs' DecomposeJob, same arguments as its job jar) in a local Flink
 * MiniCluster inside this process, or submitted to a Flink cluster's REST endpoint with --flink-rest. Ctrl-C or
 * SIGTERM stops it with a savepoint; {@code villa decompose stop} does that for a job on a cluster.
 */
@Command(name = "decompose", mixinStandardHelpOptions = true, subcommands = DecomposeStopCommand.class,
        description = {"Decomposes image-report pairs into region-attribute pairs with the online ViLLA mapping model.",
                "Runs the Flink job in a local MiniCluster (default) or submits it to a Flink cluster (--flink-rest);",
                "exactly-once output to the region-attribute topic, rejects to the dead-letter topic.",
                "Ctrl-C or SIGTERM stops the job with a savepoint in --savepoint-dir and prints how to resume from it."})
public final class DecomposeCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(DecomposeCommand.class);
    static final String JOB_NAME = "villa-decompose";

    @Spec
    CommandSpec spec;

    @Mixin
    DecomposeOptions options;

    @Option(names = "--flink-rest", paramLabel = "HOST:PORT", converter = FlinkRestAddress.Converter.class,
            description = "Submit to this Flink cluster's REST endpoint (JobManager) instead of running a local MiniCluster.")
    FlinkRestAddress flinkRest;

    @Option(names = "--job-jar", paramLabel = "FILE", defaultValue = "flink-jobs/target/villa-flink-job.jar",
            description = "The job jar shipped to the cluster with --flink-rest (default: ${DEFAULT-VALUE}).")
    Path jobJar;

    @Option(names = "--detached", description = "With --flink-rest: return once the cluster accepted the job (prints its id).")
    boolean detached;

    @Option(names = "--stop-timeout", defaultValue = "120", paramLabel = "SECONDS",
            description = "How long a stop with a savepoint (Ctrl-C, SIGTERM) may take before the job is cancelled instead "
                    + "and the command fails (default: ${DEFAULT-VALUE}).")
    int stopTimeoutSeconds;

    @Override
    public Integer call() throws Exception {
        if (options.fromSavepoint != null && options.resume != null) {
            throw new ParameterException(spec.commandLine(), "--from-savepoint " + options.fromSavepoint + " and --resume "
                    + options.resume + " both say where to start: pass only one (--from-savepoint PATH is --resume PATH)");
        }
        StreamExecutionEnvironment env = environment();
        DecomposeJob.build(env, options);
        if (flinkRest != null && detached) {
            JobClient job = env.executeAsync(JOB_NAME);
            System.out.println("submitted " + JOB_NAME + " to " + flinkRest + ": job id " + job.getJobID());
            return 0;
        }
        LOG.info("running {} ({}), reading {}", JOB_NAME, flinkRest == null ? "local MiniCluster" : "cluster at " + flinkRest,
                options.kafka.pairsTopic);
        // the signal handlers go in before the job starts, so that a signal never finds the JVM's default (exit) in place;
        // the job runs asynchronously so this thread can answer a signal while the MiniCluster is still up
        try (StopSignals signals = StopSignals.install()) {
            JobClient job = env.executeAsync(JOB_NAME);
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
        System.out.printf("%s finished in %d ms%n", JOB_NAME, done.getNetRuntime());
        return 0;
    }

    private int stopWithSavepoint(JobClient job, String signal) throws Exception {
        String directory = options.savepointDirectory();
        LOG.info("{}: stopping {} with a savepoint in {} (again: stop at once, without one)", signal, JOB_NAME, directory);
        try {
            String path = SavepointStop.stop(job, directory, Duration.ofSeconds(stopTimeoutSeconds));
            System.out.println("savepoint: " + path);
            System.out.println("resume with: " + resumeCommand(path));
            return 0;
        } catch (SavepointStop.SavepointFailedException e) {
            LOG.error("{}; cancelling the job instead: its last retained checkpoint stays under {}", e.getMessage(),
                    options.checkpointDir, e);
            try {
                job.cancel().get(30, TimeUnit.SECONDS);
            } catch (Exception cancel) {
                LOG.warn("cancelling job {} failed too: {}", job.getJobID(), cancel.toString());
            }
            spec.commandLine().getErr().println("villa decompose: no savepoint (" + e.getMessage() + "); the last retained "
                    + "checkpoint under " + options.checkpointDir + " is left to resume from"
                    + (flinkRest == null ? " (--resume latest)" : ""));
            spec.commandLine().getErr().flush();
            return 1;
        }
    }

    /** This command line with --from-savepoint PATH in place of any --resume or --from-savepoint. */
    String resumeCommand(String savepoint) {
        List<String> original = spec.commandLine().getParseResult() == null ? List.of()
                : spec.commandLine().getParseResult().originalArgs();
        List<String> out = new ArrayList<>(List.of("villa"));
        int i = original.indexOf("decompose");
        if (i < 0) {
            out.add("decompose");
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

    private StreamExecutionEnvironment environment() {
        if (flinkRest == null) {
            // a MiniCluster in this JVM, with as many slots as the job needs; resumes what a killed run left (--resume)
            return StreamExecutionEnvironment.createLocalEnvironment(DecomposeJob.localConfiguration(options));
        }
        if (!Files.isRegularFile(jobJar)) {
            throw new IllegalArgumentException("job jar " + jobJar + " not found: build it with "
                    + "mvn -pl flink-jobs package, or pass --job-jar");
        }
        // on a cluster the checkpoints are the cluster's: only an explicit --from-savepoint or --resume PATH restores one
        Configuration conf = new Configuration();
        options.explicitRestorePath().ifPresent(path -> conf.set(StateRecoveryOptions.SAVEPOINT_PATH, path));
        return StreamExecutionEnvironment.createRemoteEnvironment(flinkRest.host(), flinkRest.port(), conf,
                jobJar.toAbsolutePath().toString());
    }
}
