package io.villa.cli.commands;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.villa.flink.DecomposeJob;
import io.villa.flink.DecomposeOptions;
import io.villa.flink.recovery.LocalResume;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * villa decompose: the decomposition job (flink-jobs' DecomposeJob, same arguments as its job jar) in a local Flink
 * MiniCluster inside this process, or submitted to a Flink cluster's REST endpoint with --flink-rest.
 */
@Command(name = "decompose", mixinStandardHelpOptions = true,
        description = {"Decomposes image-report pairs into region-attribute pairs with the online ViLLA mapping model.",
                "Runs the Flink job in a local MiniCluster (default) or submits it to a Flink cluster (--flink-rest);",
                "exactly-once output to the region-attribute topic, rejects to the dead-letter topic."})
public final class DecomposeCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(DecomposeCommand.class);
    static final String JOB_NAME = "villa-decompose";

    @Mixin
    DecomposeOptions options;

    @Option(names = "--flink-rest", paramLabel = "HOST:PORT",
            description = "Submit to this Flink cluster's REST endpoint (JobManager) instead of running a local MiniCluster.")
    String flinkRest;

    @Option(names = "--job-jar", paramLabel = "FILE", defaultValue = "flink-jobs/target/villa-flink-job.jar",
            description = "The job jar shipped to the cluster with --flink-rest (default: ${DEFAULT-VALUE}).")
    Path jobJar;

    @Option(names = "--detached", description = "With --flink-rest: return once the cluster accepted the job (prints its id).")
    boolean detached;

    @Override
    public Integer call() throws Exception {
        StreamExecutionEnvironment env = environment();
        DecomposeJob.build(env, options);
        if (flinkRest != null && detached) {
            JobClient job = env.executeAsync(JOB_NAME);
            System.out.println("submitted " + JOB_NAME + " to " + flinkRest + ": job id " + job.getJobID());
            return 0;
        }
        LOG.info("running {} ({}), reading {}", JOB_NAME, flinkRest == null ? "local MiniCluster" : "cluster at " + flinkRest,
                options.kafka.pairsTopic);
        var result = env.execute(JOB_NAME);
        System.out.printf("%s finished in %d ms%n", JOB_NAME, result.getNetRuntime());
        return 0;
    }

    private StreamExecutionEnvironment environment() {
        if (flinkRest == null) {
            // a MiniCluster in this JVM, with as many slots as the job needs; resumes what a killed run left (--resume)
            return StreamExecutionEnvironment.createLocalEnvironment(DecomposeJob.localConfiguration(options));
        }
        String[] hostPort = flinkRest.split(":");
        if (hostPort.length != 2) {
            throw new IllegalArgumentException("--flink-rest must be HOST:PORT, got " + flinkRest);
        }
        if (!Files.isRegularFile(jobJar)) {
            throw new IllegalArgumentException("job jar " + jobJar + " not found: build it with "
                    + "mvn -pl flink-jobs package, or pass --job-jar");
        }
        // on a cluster the checkpoints are the cluster's: only an explicit --resume PATH restores one
        Configuration conf = new Configuration();
        if (!LocalResume.LATEST.equals(options.resume) && !LocalResume.NONE.equals(options.resume)) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, options.resume);
        }
        return StreamExecutionEnvironment.createRemoteEnvironment(hostPort[0], Integer.parseInt(hostPort[1]), conf,
                jobJar.toAbsolutePath().toString());
    }
}
