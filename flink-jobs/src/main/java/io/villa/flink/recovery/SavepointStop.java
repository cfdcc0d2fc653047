package io.villa.flink.recovery;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.util.ExceptionUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a running decomposition job with a savepoint: what {@code villa decompose} does on Ctrl-C or SIGTERM, and
 * what a test does to stop a run the same way.
 *
 * <p>Canonical format, so a savepoint outlives a change of state backend or Flink version; not draining (no
 * MAX_WATERMARK, no end of input): the job is paused, not finished, and a run started from the savepoint carries on.
 * Flink completes the savepoint, lets the sinks commit the transactions it covers, then ends the job.
 */
public final class SavepointStop {

    private static final Logger LOG = LoggerFactory.getLogger(SavepointStop.class);

    /** How long a stop may take before it counts as failed (the savepoint, the sinks' commits, the tasks' end). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

    private SavepointStop() {
    }

    /**
     * Stops {@code job} with a savepoint under {@code directory} (null: the job's configured savepoint directory) and
     * returns the savepoint's path once the job has ended.
     *
     * @throws SavepointFailedException if Flink refused or failed the savepoint, or it took longer than {@code timeout};
     *         the job may then still be running
     */
    public static String stop(JobClient job, String directory, Duration timeout) throws InterruptedException {
        LOG.info("stopping job {} with a savepoint in {}", job.getJobID(), directory);
        try {
            String path = job.stopWithSavepoint(false, directory, SavepointFormatType.CANONICAL)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("job {} stopped with savepoint {}", job.getJobID(), path);
            return path;
        } catch (TimeoutException e) {
            throw new SavepointFailedException("no savepoint of job " + job.getJobID() + " within " + timeout, e);
        } catch (ExecutionException e) {
            Throwable cause = ExceptionUtils.stripExecutionException(e);
            throw new SavepointFailedException("the savepoint of job " + job.getJobID() + " failed: " + rootMessage(cause), cause);
        }
    }

    /** The innermost message: Flink wraps a failed savepoint's reason a few times. */
    static String rootMessage(Throwable error) {
        Throwable t = error;
        String message = String.valueOf(error);
        while (t != null) {
            if (t.getMessage() != null) {
                message = t.getClass().getSimpleName() + ": " + t.getMessage();
            }
            t = t.getCause() == t ? null : t.getCause();
        }
        return message;
    }

    /** The savepoint was not taken; the last retained checkpoint is still there to resume from. */
    public static final class SavepointFailedException extends RuntimeException {
        public SavepointFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
