package io.villa.flink.operators;

import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.flink.annotation.VisibleForTesting;

/**
 * Fault injection, the option {@code --inject-failure-after PAIRS} of the decomposition job and the join: the mapping
 * applier (or the join) throws once per JVM after PAIRS pairs and a completed checkpoint, so the job restarts from that
 * checkpoint as it would after a real failure. For recovery drills on a deployment and for the tests that compare a
 * restarted run with an uninterrupted one. Off (0) by default.
 */
public final class FailureInjection {

    private static final AtomicBoolean FIRED = new AtomicBoolean();

    private FailureInjection() {}

    public static void maybeFail(long afterPairs, long processed, boolean checkpointDone) {
        if (afterPairs > 0 && processed >= afterPairs && checkpointDone && !FIRED.getAndSet(true)) {
            throw new IllegalStateException("injected failure after " + processed + " pairs (--inject-failure-after)");
        }
    }

    /** Whether the failure was injected in this JVM. */
    @VisibleForTesting
    public static boolean fired() {
        return FIRED.get();
    }

    /** Arms the injection again, for tests that run several jobs in one JVM. */
    @VisibleForTesting
    public static void reset() {
        FIRED.set(false);
    }
}
