package io.villa.flink.mapping;

import ai.djl.engine.Engine;

/**
 * Process-wide DJL settings, applied before the PyTorch engine starts: offline (PyTorch comes from the
 * pytorch-native-cpu jar, never downloaded) and few CPU threads (the machine is shared).
 */
public final class EngineSetup {

    private static boolean started;

    private EngineSetup() {
    }

    public static synchronized void start(int cpuThreads) {
        if (!started) {
            System.setProperty("ai.djl.offline", "true");
            dropMissingNativeHelper();
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(Math.max(1, cpuThreads)));
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
            Engine.getEngine("PyTorch");
            started = true;
        }
    }

    /** A helper class that is named but not on the class path stops DJL from starting: drop the setting. */
    private static void dropMissingNativeHelper() {
        String helper = System.getProperty("ai.djl.pytorch.native_helper");
        if (helper != null && !helper.isEmpty()) {
            try {
                Class.forName(helper);
            } catch (ClassNotFoundException e) {
                System.clearProperty("ai.djl.pytorch.native_helper");
            }
        }
    }
}
