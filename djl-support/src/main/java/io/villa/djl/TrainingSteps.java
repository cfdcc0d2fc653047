package io.villa.djl;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * DJL's PyTorch engine allows one gradient collector per process at a time (PtGradientCollector
 * refuses a second one). Models that train side by side in one JVM (the demo's mapping model and
 * trainers, two mapping subtasks in one TaskManager) take turns through this lock, one whole step each.
 */
public final class TrainingSteps {

    private static final ReentrantLock ONE_AT_A_TIME = new ReentrantLock(true);

    private TrainingSteps() {
    }

    /** Runs one training step (gradient collection, backward, optimizer step) while no other model trains. */
    public static <T> T exclusively(Supplier<T> step) {
        ONE_AT_A_TIME.lock();
        try {
            return step.get();
        } finally {
            ONE_AT_A_TIME.unlock();
        }
    }
}
