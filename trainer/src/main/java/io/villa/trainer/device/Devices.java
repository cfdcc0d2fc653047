package io.villa.trainer.device;

import io.villa.djl.EngineSetup;

/** Picks the device on this machine: {@link DeviceResolver} with what the started PyTorch engine finds. */
public final class Devices {

    private Devices() {}

    /**
     * Starts the engine (a no-op when it runs: the first caller's thread count wins) and resolves the request.
     *
     * @param requested  auto (or null), cpu, gpu or gpu:N
     * @param cpuThreads PyTorch CPU threads should the engine start here; 0 = one per core
     * @throws DeviceUnavailableException a GPU was asked for that DJL does not find
     */
    public static DeviceChoice choose(String requested, int cpuThreads) {
        EngineSetup.start(cpuThreads);
        return DeviceResolver.resolve(requested, GpuInventory.ofEngine());
    }
}
