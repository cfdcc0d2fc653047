package io.villa.trainer.service;

/**
 * Keeps the fetch thread's decoding out of training steps when PyTorch computes on every core (CPU training with as
 * many intra-op threads as cores, the default). PyTorch's threads meet at a barrier after each parallel operation: a
 * decoding burst that takes one of their cores stalls the others at the barrier, so a step loses far more than the
 * decoding's own CPU time. Between steps (the training thread applying records and building the next batch) a core is
 * free, and the queue's read-ahead bridges the rest. Where a core is spare, or the model runs on a GPU, the gate stays
 * open and decoding overlaps steps as before.
 */
final class StepGate {

    private final boolean active;
    private boolean stepping;

    private StepGate(boolean active) {
        this.active = active;
    }

    /**
     * @param pytorchThreads intra-op threads (0 = one per core); {@code -Dvilla.trainer.step-gate=false} keeps the gate
     *                       open regardless
     */
    static StepGate of(boolean cpuTraining, int pytorchThreads) {
        int cores = Runtime.getRuntime().availableProcessors();
        boolean allowed = Boolean.parseBoolean(System.getProperty("villa.trainer.step-gate", "true"));
        return new StepGate(allowed && cpuTraining && (pytorchThreads <= 0 || pytorchThreads >= cores));
    }

    static StepGate open() {
        return new StepGate(false);
    }

    boolean active() {
        return active;
    }

    /** The training thread, around each step. */
    synchronized void stepping(boolean on) {
        stepping = on;
        if (!on) {
            notifyAll();
        }
    }

    /** The fetch thread, before decoding a record: waits (at most {@code maxMillis}) while a step runs. */
    synchronized void awaitBetweenSteps(long maxMillis) throws InterruptedException {
        if (active && stepping) {
            wait(maxMillis);
        }
    }
}
