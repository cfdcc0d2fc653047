package io.villa.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.villa.records.TrainerEvent;
import io.villa.records.TrainerEventKind;
import io.villa.schemas.Codecs;
import io.villa.trainer.device.MemoryUse;

/** villa status shows each trainer's device and memory as its newest event reports them. */
class TrainerDeviceStatusTest {

    private static final long GIB = 1L << 30;

    @Test
    void theNewestEventThatNamesADeviceGivesTheDeviceAndItsMemory() {
        List<TrainerEvent> history = List.of(
                event(640, null, Map.of("val.t2r.rprecision", 0.3)), // from a trainer before devices were reported
                event(1280, "gpu(0)", new MemoryUse(2 * GIB, 3 * GIB, 80 * GIB).metrics()),
                event(1920, "gpu(0)", new MemoryUse(3 * GIB, 4 * GIB, 80 * GIB).metrics()));

        PipelineStatus.TrainerStatus status = PipelineMonitor.trainerStatus("villa-vlm", roundTrip(history), 7);

        assertThat(status.device()).isEqualTo("gpu(0)");
        assertThat(status.memory()).isEqualTo(new MemoryUse(3 * GIB, 4 * GIB, 80 * GIB));
        assertThat(StatusView.trainer(status))
                .endsWith("offset lag 7 | on gpu(0), memory 3.00 GiB used (peak 4.00 GiB) of 80.00 GiB");
    }

    @Test
    void eventsWithoutADeviceShowNone() {
        PipelineStatus.TrainerStatus status =
                PipelineMonitor.trainerStatus("clip-vlm", roundTrip(List.of(event(64, null, Map.of()))), -1);

        assertThat(status.device()).isNull();
        assertThat(status.memory()).isEqualTo(MemoryUse.UNKNOWN);
        assertThat(StatusView.trainer(status)).endsWith("offset lag ?").doesNotContain("memory");
    }

    /** Through the codec, as villa status reads them from the trainer-events topic. */
    private static List<TrainerEvent> roundTrip(List<TrainerEvent> events) {
        return events.stream()
                .map(e -> Codecs.TRAINER_EVENT.decode(Codecs.TRAINER_EVENT.encode(e)))
                .toList();
    }

    private static TrainerEvent event(long samples, String device, Map<String, Double> metrics) {
        return TrainerEvent.newBuilder()
                .setModelId("villa-vlm")
                .setModelVersion(samples)
                .setKind(TrainerEventKind.CHECKPOINT)
                .setStep(samples / 64)
                .setSamplesSeen(samples)
                .setLoss(1.5)
                .setMetrics(Map.copyOf(metrics))
                .setCheckpointLocation(null)
                .setTime(Instant.now())
                .setDevice(device)
                .build();
    }
}
