package io.villa.cli.commands;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.client.JobStatusMessage;
import org.apache.flink.util.ExceptionUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * villa decompose stop: stops the decomposition job running on a Flink cluster with a savepoint (canonical, not
 * draining), through the cluster's REST API, and prints where it is.
 */
@Command(
        name = "stop",
        mixinStandardHelpOptions = true,
        description = {
            "Stops the decomposition job on a Flink cluster with a savepoint and prints its path;",
            "start it again from there with villa decompose --flink-rest HOST:PORT ... --from-savepoint PATH."
        })
final class DecomposeStopCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(DecomposeStopCommand.class);

    @Spec
    CommandSpec spec;

    @Option(
            names = "--flink-rest",
            required = true,
            paramLabel = "HOST:PORT",
            converter = FlinkRestAddress.Converter.class,
            description = "The Flink cluster's REST endpoint (JobManager).")
    FlinkRestAddress flinkRest;

    @Option(
            names = "--job-id",
            paramLabel = "ID",
            converter = JobIdConverter.class,
            description = "The job to stop (default: the one running job named " + DecomposeCommand.JOB_NAME + ").")
    JobID jobId;

    @Option(
            names = "--savepoint-dir",
            paramLabel = "URI",
            description =
                    "Where the savepoint goes (default: the cluster's execution.checkpointing.savepoint-dir; the REST API "
                            + "does not see the job's own --savepoint-dir).")
    String savepointDir;

    @Option(
            names = "--timeout",
            defaultValue = "120",
            paramLabel = "SECONDS",
            description = "How long to wait for the savepoint and the job's end (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestOptions.ADDRESS, flinkRest.host());
        conf.set(RestOptions.PORT, flinkRest.port());
        // a cluster that is not there is an error now, not after the client's 20 retries 3 s apart
        conf.set(RestOptions.RETRY_MAX_ATTEMPTS, 0);
        conf.set(RestOptions.CONNECTION_TIMEOUT, Duration.ofSeconds(10));
        try (RestClusterClient<String> client = new RestClusterClient<>(conf, "villa-decompose-stop")) {
            JobID id = jobToStop(client);
            LOG.info(
                    "stopping job {} on {} with a savepoint in {}",
                    id,
                    flinkRest,
                    savepointDir == null ? "its savepoint directory" : savepointDir);
            String path = await(
                    client.stopWithSavepoint(id, false, savepointDir, SavepointFormatType.CANONICAL),
                    "the savepoint of job " + id);
            System.out.println("savepoint: " + path);
            System.out.println(
                    "resume with: villa decompose --flink-rest " + flinkRest + " ... --from-savepoint " + path);
            return 0;
        } catch (StopFailure e) {
            spec.commandLine().getErr().println("villa decompose stop: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return 1;
        }
    }

    private JobID jobToStop(RestClusterClient<String> client) throws InterruptedException {
        Collection<JobStatusMessage> jobs = await(client.listJobs(), "the job list");
        if (jobId != null) {
            JobStatusMessage job = jobs.stream()
                    .filter(j -> j.getJobId().equals(jobId))
                    .findFirst()
                    .orElseThrow(() -> new StopFailure("no job " + jobId + " on the Flink cluster at " + flinkRest));
            if (job.getJobState().isGloballyTerminalState()) {
                throw new StopFailure(
                        "job " + jobId + " on " + flinkRest + " is " + job.getJobState() + ": nothing to stop");
            }
            return jobId;
        }
        List<JobStatusMessage> running = jobs.stream()
                .filter(j -> DecomposeCommand.JOB_NAME.equals(j.getJobName()))
                .filter(j -> !j.getJobState().isGloballyTerminalState())
                .toList();
        if (running.isEmpty()) {
            throw new StopFailure(
                    "no running job named " + DecomposeCommand.JOB_NAME + " on the Flink cluster at " + flinkRest);
        }
        if (running.size() > 1) {
            throw new StopFailure(
                    running.size() + " jobs named " + DecomposeCommand.JOB_NAME + " run on " + flinkRest + " ("
                            + String.join(
                                    ", ",
                                    running.stream()
                                            .map(j -> j.getJobId().toHexString())
                                            .toList()) + "): pass --job-id");
        }
        return running.get(0).getJobId();
    }

    private <T> T await(java.util.concurrent.CompletableFuture<T> future, String what) throws InterruptedException {
        try {
            return future.get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new StopFailure("no answer from the Flink cluster at " + flinkRest + " for " + what + " within "
                    + timeoutSeconds + " s");
        } catch (ExecutionException e) {
            Throwable cause = ExceptionUtils.stripExecutionException(e);
            if (ExceptionUtils.findThrowable(cause, java.net.ConnectException.class)
                    .isPresent()) {
                throw new StopFailure(
                        "cannot reach the Flink REST endpoint at " + flinkRest + " (" + rootMessage(cause) + ")");
            }
            String message = rootMessage(cause);
            if (savepointDir == null && message.contains("savepoint-dir")) {
                throw new StopFailure("the Flink cluster at " + flinkRest + " has no default savepoint directory "
                        + "(execution.checkpointing.savepoint-dir): pass --savepoint-dir URI");
            }
            throw new StopFailure(what + " failed on " + flinkRest + ": " + message);
        }
    }

    private static String rootMessage(Throwable error) {
        Throwable root = ExceptionUtils.stripCompletionException(error);
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null
                ? root.getMessage().lines().findFirst().orElse(root.toString())
                : root.toString();
    }

    /** A reason to stop with one line on stderr. */
    private static final class StopFailure extends RuntimeException {
        StopFailure(String message) {
            super(message);
        }
    }

    /** A Flink job id: 32 hex digits. */
    static final class JobIdConverter implements ITypeConverter<JobID> {
        @Override
        public JobID convert(String value) {
            try {
                return JobID.fromHexString(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("a job id is 32 hex digits, got '" + value + "'");
            }
        }
    }
}
