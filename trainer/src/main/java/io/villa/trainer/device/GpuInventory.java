package io.villa.trainer.device;

import java.util.Locale;

import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;

/**
 * What DJL found: how many GPUs, and which PyTorch build (with or without CUDA). The GPU count is DJL's
 * {@code Engine.getGpuCount()}: 0 for a PyTorch build without CUDA even on a machine that has a GPU.
 *
 * @param gpuCount GPUs DJL can use
 * @param engine   the engine in words, e.g. "PyTorch 2.7.1, built without CUDA"
 */
public record GpuInventory(int gpuCount, String engine) {

    public GpuInventory {
        if (gpuCount < 0) {
            throw new IllegalArgumentException("gpuCount must be >= 0, was " + gpuCount);
        }
        if (engine == null || engine.isBlank()) {
            throw new IllegalArgumentException("engine must be named, was '" + engine + "'");
        }
    }

    /** What the started PyTorch engine finds on this machine (start it first: {@code EngineSetup.start}). */
    public static GpuInventory ofEngine() {
        Engine engine = Engine.getEngine("PyTorch");
        boolean cuda = engine.hasCapability(StandardCapabilities.CUDA);
        return new GpuInventory(
                engine.getGpuCount(),
                String.format(
                        Locale.ROOT,
                        "%s %s, built %s CUDA",
                        engine.getEngineName(),
                        engine.getVersion(),
                        cuda ? "with" : "without"));
    }

    /** "DJL found 1 GPU (PyTorch 2.5.1, built with CUDA)". */
    public String describe() {
        return String.format(Locale.ROOT, "DJL found %d GPU%s (%s)", gpuCount, gpuCount == 1 ? "" : "s", engine);
    }
}
