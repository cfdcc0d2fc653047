package io.villa.trainer.device;

import java.lang.management.MemoryUsage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;

/**
 * Reads the memory of the device a model runs on. A GPU's figure comes from the CUDA runtime (cudaMemGetInfo, through
 * DJL's {@code CudaUtils.getGpuMemory}): the whole card, PyTorch's caching allocator and other processes included;
 * its peak is the highest reading taken, so read it often (each step or progress line). The CPU's is this process's
 * resident set and the kernel's own peak.
 *
 * <p>This is the one place that asks DJL for device memory: {@code CudaUtils.getGpuMemory(Device)} has the same
 * signature in DJL 0.36 (the CPU build) and 0.33 (the gpu profile, compiled by module trainer-gpu-compile); should a
 * DJL release change it, only this class changes.
 */
public final class DeviceMemory {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceMemory.class);

    private final Device device;
    private long gpuPeak = -1;
    private boolean gpuUnreadable;

    private DeviceMemory(Device device) {
        this.device = device;
    }

    public static DeviceMemory of(Device device) {
        if (device == null) {
            throw new IllegalArgumentException("device must be set, was null");
        }
        return new DeviceMemory(device);
    }

    public Device device() {
        return device;
    }

    /** The memory now, and the peak so far; {@link MemoryUse#UNKNOWN} figures where the device cannot tell. */
    public synchronized MemoryUse read() {
        if (!device.isGpu()) {
            return ProcessMemory.read();
        }
        if (gpuUnreadable) {
            return MemoryUse.UNKNOWN;
        }
        try {
            MemoryUsage usage = CudaUtils.getGpuMemory(device);
            gpuPeak = Math.max(gpuPeak, usage.getUsed());
            return new MemoryUse(usage.getUsed(), gpuPeak, usage.getMax());
        } catch (RuntimeException e) {
            // the CUDA runtime could not be asked (e.g. no libcudart on the library path): say so once, train on
            gpuUnreadable = true;
            LOG.warn("cannot read the memory of {}: {}; it is reported as not known", device, e.toString());
            return MemoryUse.UNKNOWN;
        }
    }
}
