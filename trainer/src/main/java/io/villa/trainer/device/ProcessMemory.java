package io.villa.trainer.device;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's memory as the kernel counts it (/proc/self/status): the resident set includes PyTorch's native
 * memory, which the Java heap figures do not. -1 where there is no /proc.
 */
public final class ProcessMemory {

    private ProcessMemory() {}

    /** Resident set now (VmRSS) and its peak (VmHWM), and the memory the machine or container has. */
    public static MemoryUse read() {
        long rss = -1;
        long peak = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = kibibytes(line) * 1024;
                } else if (line.startsWith("VmHWM:")) {
                    peak = kibibytes(line) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return new MemoryUse(-1, -1, totalBytes());
        }
        return new MemoryUse(rss, peak, totalBytes());
    }

    private static long kibibytes(String line) {
        return Long.parseLong(line.replaceAll("\\D+", ""));
    }

    /** The JVM's view of physical memory: a container's limit where it has one. */
    private static long totalBytes() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean hotspot) {
            return hotspot.getTotalMemorySize();
        }
        return -1;
    }
}
