package io.villa.cli.commands;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

import io.villa.flink.join.JoinJob;
import io.villa.flink.join.JoinOptions;
import io.villa.flink.recovery.SavepointStop;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * villa join: the hospital-feed join (flink-jobs' JoinJob) in a local Flink MiniCluster inside this process, or
 * submitted to a Flink cluster's REST endpoint with --flink-rest, as villa decompose runs its job. Ctrl-C or SIGTERM
 * stops a local run with a savepoint.
 */
@Command(name = "join", mixinStandardHelpOptions = true,
        description = {"Joins de-identified study images (villa.study-images) and reports (villa.study-reports) into image-report",
                "pairs, keyed by the study's pseudonym: one pair per image, a new pair version when a corrected report arrives,",
                "resends dropped, an image or report still alone at --ttl to the dead-letter topic. Exactly-once output.",
                "Runs the Flink job in a local MiniCluster (default) or submits it to a Flink cluster (--flink-rest)."})
public final class JoinCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(JoinCommand.class);

    @Spec
    CommandSpec spec;

    @Mixin
    JoinOptions options;

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
                    + "(default: ${DEFAULT-VALUE}).")
    int stopTimeoutSeconds;

    @Override
    public Integer call() throws Exception {
        if (options.fromSavepoint != null && options.resume != null) {
            throw new ParameterException(spec.commandLine(), "--from-savepoint " + options.fromSavepoint + " and --resume "
                    + options.resume + " both say where to start: pass only one (--from-savepoint PATH is --resume PATH)");
        }
        try {
            options.settings();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (flinkRest == null && "rocksdb".equals(options.stateBackend) && !onClassPath(ROCKSDB_BACKEND)) {
            throw new ParameterException(spec.commandLine(), "--state-backend rocksdb needs Flink's RocksDB backend, which a "
                    + "Flink cluster has (--flink-rest) and villa's local MiniCluster does not: use --state-backend hashmap here");
        }
        StreamExecutionEnvironment env = environment();
        JoinJob.build(env, options);
        if (flinkRest != null && detached) {
            JobClient job = env.executeAsync(JoinJob.JOB_NAME);
            System.out.println("submitted " + JoinJob.JOB_NAME + " to " + flinkRest + ": job id " + job.getJobID());
            return 0;
        }
        LOG.info("running {} ({}), reading {} and {}", JoinJob.JOB_NAME,
                flinkRest == null ? "local MiniCluster" : "cluster at " + flinkRest, options.studyImagesTopic, options.studyReportsTopic);
        try (StopSignals signals = StopSignals.install()) {
            JobClient job = env.executeAsync(JoinJob.JOB_NAME);
            return awaitOrStop(job, signals.received());
        }
    }

    static final String ROCKSDB_BACKEND = "org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend";

    private static boolean onClassPath(String className) {
        try {
            Class.forName(className, false, JoinCommand.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private int awaitOrStop(JobClient job, CompletableFuture<String> stopRequest) throws Exception {
        CompletableFuture<JobExecutionResult> result = job.getJobExecutionResult();
        CompletableFuture.anyOf(result, stopRequest).handle((r, e) -> null).get();
        if (!result.isDone()) {
            String directory = options.savepointDirectory();
            LOG.info("{}: stopping {} with a savepoint in {}", stopRequest.get(), JoinJob.JOB_NAME, directory);
            try {
                String path = SavepointStop.stop(job, directory, Duration.ofSeconds(stopTimeoutSeconds));
                System.out.println("savepoint: " + path);
                System.out.println("resume with the same arguments and --from-savepoint " + path);
                return 0;
            } catch (SavepointStop.SavepointFailedException e) {
                LOG.error("{}; cancelling the job instead: its last retained checkpoint stays under {}", e.getMessage(),
                        options.checkpointDir);
                job.cancel().get(30, TimeUnit.SECONDS);
                return 1;
            }
        }
        JobExecutionResult done;
        try {
            done = result.get();
        } catch (ExecutionException e) {
            throw ExceptionUtils.stripExecutionException(e) instanceof Exception cause ? cause : e;
        }
        System.out.printf("%s finished in %d ms%n", JoinJob.JOB_NAME, done.getNetRuntime());
        return 0;
    }

    private StreamExecutionEnvironment environment() {
        if (flinkRest == null) {
            return StreamExecutionEnvironment.createLocalEnvironment(JoinJob.localConfiguration(options));
        }
        if (!Files.isRegularFile(jobJar)) {
            throw new IllegalArgumentException("job jar " + jobJar + " not found: build it with "
                    + "mvn -pl flink-jobs package, or pass --job-jar");
        }
        Configuration conf = new Configuration();
        options.explicitRestorePath().ifPresent(path -> conf.set(StateRecoveryOptions.SAVEPOINT_PATH, path));
        return StreamExecutionEnvironment.createRemoteEnvironment(flinkRest.host(), flinkRest.port(), conf,
                jobJar.toAbsolutePath().toString());
    }
}
