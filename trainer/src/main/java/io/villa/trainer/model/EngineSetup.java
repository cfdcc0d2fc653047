package io.villa.trainer.model;

import ai.djl.engine.Engine;

/**
 * Process-wide DJL settings, applied before the PyTorch engine starts: offline (PyTorch comes from the
 * pytorch-native jar, never downloaded), a bounded number of CPU threads, and the random seed.
 */
public final class EngineSetup {

    private static boolean started;

    private EngineSetup() {
    }

    /** @param cpuThreads intra-op threads for PyTorch on the CPU; 0 = one per core */
    public static synchronized void start(int cpuThreads) {
        if (!started) {
            System.setProperty("ai.djl.offline", "true");
            dropMissingNativeHelper();
            int threads = cpuThreads > 0 ? cpuThreads : Runtime.getRuntime().availableProcessors();
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
            Engine.getEngine("PyTorch");
            started = true;
        }
    }

    /**
     * "ai.djl.pytorch.native_helper" names a class that loads the native library in another class
     * loader; when it names a class that is not on the class path (there is no such class in
     * pytorch-jni 0.36), DJL fails to start, so a wrong value is dropped here.
     */
    private static void dropMissingNativeHelper() {
        String helper = System.getProperty("ai.djl.pytorch.native_helper");
        if (helper != null && !helper.isEmpty()) {
            try {
                Class.forName(helper);
            } catch (ClassNotFoundException e) {
                org.slf4j.LoggerFactory.getLogger(EngineSetup.class)
                        .warn("ignoring ai.djl.pytorch.native_helper={}: no such class", helper);
                System.clearProperty("ai.djl.pytorch.native_helper");
            }
        }
    }

    public static void seed(long seed) {
        Engine.getEngine("PyTorch").setRandomSeed((int) seed);
    }
}
