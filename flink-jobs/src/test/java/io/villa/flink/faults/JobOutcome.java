package io.villa.flink.faults;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;

import org.apache.flink.api.common.JobStatus;

/**
 * How one bounded run of the job ended. With {@code --restart-attempts 0} a failure is exactly what would have
 * restarted the job, so a run that did not finish caused one restart.
 *
 * @param cause      the innermost exception with the first frame of ours ("where"), or why the run was stopped
 * @param stackTrace the whole failure, for the report file (exceptions carry ids and sizes, never report text)
 */
record JobOutcome(String status, double seconds, String cause, String stackTrace, boolean clusterStillUsable) {

    static JobOutcome finished(JobStatus status, double seconds) {
        return new JobOutcome(status.name(), seconds, null, null, true);
    }

    static JobOutcome failed(double seconds, Throwable error) {
        StringWriter trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace));
        return new JobOutcome("FAILED", seconds, summary(error), trace.toString(), true);
    }

    static JobOutcome timedOut(double seconds, Duration timeout, boolean stopped) {
        return new JobOutcome("TIMED OUT", seconds, "still running after " + timeout.toSeconds() + " s"
                + (stopped ? "; cancelled" : "; would not stop when cancelled"), null, stopped);
    }

    boolean succeeded() {
        return "FINISHED".equals(status);
    }

    /** Restarts the run's records caused: with no restart attempts allowed, any failure is one. */
    int restartsCaused() {
        return succeeded() ? 0 : 1;
    }

    /** "OutOfMemoryError: Java heap space at io.villa...DecodePairs.fromRecord(DecodePairs.java:62)". */
    static String summary(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? "" : ": " + root.getMessage().replaceAll("\\s+", " ");
        if (message.length() > 240) {
            message = message.substring(0, 240) + "...";
        }
        StackTraceElement where = null;
        for (StackTraceElement frame : root.getStackTrace()) {
            if (frame.getClassName().startsWith("io.villa")) {
                where = frame;
                break;
            }
        }
        if (where == null && root.getStackTrace().length > 0) {
            where = root.getStackTrace()[0];
        }
        return root.getClass().getName() + message + (where == null ? "" : " at " + where);
    }
}
