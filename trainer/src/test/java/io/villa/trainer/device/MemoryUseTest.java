package io.villa.trainer.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import ai.djl.Device;

class MemoryUseTest {

    @Test
    void knownFiguresGoIntoTrainerEventMetricsAndComeBack() {
        MemoryUse use = new MemoryUse(3L << 30, 4L << 30, 80L << 30);

        assertThat(use.metrics()).containsOnlyKeys(MemoryUse.USED, MemoryUse.PEAK, MemoryUse.TOTAL);
        assertThat(MemoryUse.fromMetrics(use.metrics())).isEqualTo(use);
        assertThat(use.describe()).isEqualTo("memory 3.00 GiB used (peak 4.00 GiB) of 80.00 GiB");
    }

    @Test
    void unknownFiguresAreLeftOut() {
        assertThat(MemoryUse.UNKNOWN.metrics()).isEmpty();
        assertThat(MemoryUse.fromMetrics(Map.of("val.t2r.rprecision", 0.5))).isEqualTo(MemoryUse.UNKNOWN);
        assertThat(MemoryUse.UNKNOWN.describe()).isEqualTo("memory not known");
    }

    @Test
    void theCpuReadsThisProcessResidentSet() {
        MemoryUse use = DeviceMemory.of(Device.cpu()).read();

        // a JVM running tests holds tens of MiB at the least; its peak is never below what it holds now
        assertThat(use.usedBytes()).isGreaterThan(10L << 20);
        assertThat(use.peakBytes()).isGreaterThanOrEqualTo(use.usedBytes());
        assertThat(use.totalBytes()).isGreaterThan(use.usedBytes());
    }
}
