package io.villa.djl;

import ai.djl.engine.Engine;

/**
 * Process-wide DJL settings, applied before the PyTorch engine starts: offline (PyTorch comes from the
 * pytorch-native jar, never downloaded) and a bounded number of CPU threads. The first caller's thread
 * count wins: PyTorch reads it once per process.
 */
public final class EngineSetup {

    private static boolean started;

    private EngineSetup() {
    }

    /** @param cpuThreads intra-op threads for PyTorch on the CPU; 0 = one per core */
    public static synchronized void start(int cpuThreads) {
        if (!started) {
            System.setProperty("ai.djl.offline", "true");
            int threads = cpuThreads > 0 ? cpuThreads : Runtime.getRuntime().availableProcessors();
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
            Engine.getEngine("PyTorch");
            started = true;
        }
    }

    public static void seed(long seed) {
        Engine.getEngine("PyTorch").setRandomSeed((int) seed);
    }
}
