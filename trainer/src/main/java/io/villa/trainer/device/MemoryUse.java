package io.villa.trainer.device;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One reading of a device's memory, in bytes; -1 where it is not known.
 *
 * @param usedBytes  in use now (GPU: the whole device, PyTorch's cache included; CPU: this process's resident set)
 * @param peakBytes  the most seen so far (GPU: the highest reading; CPU: the process's peak resident set)
 * @param totalBytes the device's memory (GPU: the card's; CPU: what the machine or container has)
 */
public record MemoryUse(long usedBytes, long peakBytes, long totalBytes) {

    public static final MemoryUse UNKNOWN = new MemoryUse(-1, -1, -1);

    /** Trainer-event metric names of the figures (bytes). */
    public static final String USED = "device.memoryUsedBytes";

    public static final String PEAK = "device.memoryPeakBytes";
    public static final String TOTAL = "device.memoryTotalBytes";

    private static final double GIB = 1024.0 * 1024 * 1024;

    /** The known figures as trainer-event metrics. */
    public Map<String, Double> metrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        putKnown(m, USED, usedBytes);
        putKnown(m, PEAK, peakBytes);
        putKnown(m, TOTAL, totalBytes);
        return m;
    }

    /** Read back from trainer-event metrics; missing figures are -1. */
    public static MemoryUse fromMetrics(Map<String, Double> metrics) {
        return new MemoryUse(bytes(metrics.get(USED)), bytes(metrics.get(PEAK)), bytes(metrics.get(TOTAL)));
    }

    /** "memory 1.25 GiB used (peak 1.50 GiB) of 139.81 GiB", or "memory not known". */
    public String describe() {
        if (usedBytes < 0 && peakBytes < 0) {
            return "memory not known";
        }
        StringBuilder sb = new StringBuilder("memory ").append(gib(usedBytes)).append(" used");
        if (peakBytes >= 0) {
            sb.append(" (peak ").append(gib(peakBytes)).append(')');
        }
        if (totalBytes > 0) {
            sb.append(" of ").append(gib(totalBytes));
        }
        return sb.toString();
    }

    private static String gib(long bytes) {
        return bytes < 0 ? "?" : String.format(Locale.ROOT, "%.2f GiB", bytes / GIB);
    }

    private static void putKnown(Map<String, Double> m, String key, long value) {
        if (value >= 0) {
            m.put(key, (double) value);
        }
    }

    private static long bytes(Double value) {
        return value == null || !Double.isFinite(value) || value < 0 ? -1 : value.longValue();
    }
}
