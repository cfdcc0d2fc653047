package io.villa.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.villa.records.TrainerEvent;
import io.villa.records.TrainerEventKind;
import io.villa.report.RunSummary;

class DemoSummaryTest {

    private static TrainerEvent metrics(long samples, Map<String, Double> m) {
        return TrainerEvent.newBuilder().setModelId("villa-mapping").setModelVersion(samples).setKind(TrainerEventKind.METRICS)
                .setStep(samples).setSamplesSeen(samples).setLoss(null).setMetrics(m).setCheckpointLocation(null)
                .setTime(Instant.now()).build();
    }

    /** The job's per-split events and the learner's held-out events come apart: the summary keeps the newest of each. */
    @Test
    void mappingFiguresPerSplitPerTypeAndHeldOut() {
        RunSummary.MappingSummary m = DemoSummary.mapping(List.of(
                metrics(100, Map.of("VAL.f1", 0.5, "VAL.precision", 0.4, "VAL.recall", 0.7, "VAL.images", 10.0, "VAL.f1.digit", 0.3)),
                metrics(150, Map.of("HELDOUT.f1", 0.6, "HELDOUT.images", 32.0, "HELDOUT.f1.digit", 0.55)),
                metrics(200, Map.of("VAL.f1", 0.7, "VAL.precision", 0.6, "VAL.recall", 0.8, "VAL.images", 20.0, "VAL.f1.digit", 0.65,
                        "VAL.precision.digit", 0.62)),
                metrics(250, Map.of("HELDOUT.f1", 0.8, "HELDOUT.images", 32.0, "HELDOUT.f1.digit", 0.75))));

        assertThat(m.quality().get("VAL")).containsEntry("f1", 0.7).containsEntry("imagesScored", 20.0);
        assertThat(m.quality().get("HELDOUT")).containsEntry("f1", 0.8).containsEntry("imagesScored", 32.0);
        assertThat(m.f1Curves().get("HELDOUT")).containsExactly(new RunSummary.Point(150, 0.6), new RunSummary.Point(250, 0.8));
        assertThat(m.f1Curves().get("VAL")).hasSize(2);
        assertThat(m.qualityByType().get("VAL").get("digit")).containsEntry("f1", 0.65).containsEntry("precision", 0.62);
        assertThat(m.qualityByType().get("HELDOUT").get("digit")).containsEntry("f1", 0.75);
    }
}
