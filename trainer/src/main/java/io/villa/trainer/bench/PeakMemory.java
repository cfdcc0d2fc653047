package io.villa.trainer.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

import io.villa.trainer.device.ProcessMemory;

/** Peak memory of this process: resident set (includes PyTorch's native memory) and Java heap. */
public final class PeakMemory {

    private PeakMemory() {}

    /** Peak resident set size in MiB from /proc/self/status (VmHWM), or -1 where there is no /proc. */
    public static long peakRssMib() {
        long peak = ProcessMemory.read().peakBytes();
        return peak < 0 ? -1 : peak / (1024 * 1024);
    }

    /** Sum of the heap pools' peaks in MiB (an upper bound of the peak heap in use). */
    public static long peakHeapMib() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum / (1024 * 1024);
    }
}
