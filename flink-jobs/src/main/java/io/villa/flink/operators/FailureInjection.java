package io.villa.flink.operators;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Test-only: throws once per JVM from the mapping operator after N pairs and a completed checkpoint, so a
 * test can show a restart from that checkpoint. Off (0) unless the hidden option --fail-once-after is set.
 */
public final class FailureInjection {

    private static final AtomicBoolean FIRED = new AtomicBoolean();

    private FailureInjection() {
    }

    public static void maybeFail(long afterPairs, long processed, boolean checkpointDone) {
        if (afterPairs > 0 && processed >= afterPairs && checkpointDone && !FIRED.getAndSet(true)) {
            throw new IllegalStateException("injected failure after " + processed + " pairs (test)");
        }
    }

    public static boolean fired() {
        return FIRED.get();
    }

    /** For tests that run several jobs in one JVM. */
    public static void reset() {
        FIRED.set(false);
    }
}
