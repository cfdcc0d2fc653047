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
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(Math.max(1, cpuThreads)));
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
            Engine.getEngine("PyTorch");
            started = true;
        }
    }

}
