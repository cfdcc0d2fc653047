package io.villa.schemas;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.villa.records.Box;
import io.villa.records.DeadLetter;
import io.villa.records.Image;
import io.villa.records.ImageFormat;
import io.villa.records.ImageReportPair;
import io.villa.records.RegionAttributePair;
import io.villa.records.RegionTruth;
import io.villa.records.Split;
import io.villa.records.TrainerEvent;
import io.villa.records.TrainerEventKind;

/** One fully populated record of each type, for codec tests. */
final class SampleRecords {

    static final Instant TIME = Instant.parse("2026-11-28T12:00:00Z");

    private SampleRecords() {
    }

    static Box box(int x, int y) {
        return new Box(x, y, 28, 28);
    }

    static Image image(int bytes) {
        byte[] data = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            data[i] = (byte) (i * 31 + 7);
        }
        return new Image(ByteBuffer.wrap(data), ImageFormat.PNG, 84, 84);
    }

    static ImageReportPair imageReportPair() {
        return ImageReportPair.newBuilder()
                .setPairId("docmnist-train-000001")
                .setSource("docmnist")
                .setSplit(Split.TRAIN)
                .setImage(image(500))
                .setReport("the color is red . the number is a seven")
                .setRegions(List.of(box(0, 0), box(28, 56)))
                .setGroundTruth(List.of(new RegionTruth(0, List.of("red", "seven")), new RegionTruth(1, List.of("blue"))))
                .setEventTime(TIME)
                .build();
    }

    static RegionAttributePair regionAttributePair() {
        return RegionAttributePair.newBuilder()
                .setPairId("docmnist-train-000001")
                .setRegionIndex(0)
                .setWholeImage(false)
                .setBox(box(0, 0))
                .setRegionImage(image(120))
                .setAttributes(List.of("red", "seven"))
                .setText("the color is red . the number is a seven")
                .setScores(Map.of("red", 0.93f, "seven", 0.81f))
                .setModelVersion(12L)
                .setSplit(Split.VAL)
                .setGroundTruth(List.of("red", "seven"))
                .setEventTime(TIME)
                .build();
    }

    static DeadLetter deadLetter() {
        return DeadLetter.newBuilder()
                .setSourceTopic("villa.image-report-pairs")
                .setSourcePartition(2)
                .setSourceOffset(4711L)
                .setStage("decompose.validate")
                .setOriginalKey(ByteBuffer.wrap(new byte[] {1, 2, 3}))
                .setOriginalValue(ByteBuffer.wrap(new byte[] {4, 5, 6, 7}))
                .setInput(null)
                .setErrorClass("java.lang.IllegalArgumentException")
                .setErrorMessage("box 3 lies outside the 84x84 image")
                .setTime(TIME)
                .build();
    }

    static TrainerEvent trainerEvent() {
        return TrainerEvent.newBuilder()
                .setModelId("villa-vlm")
                .setModelVersion(3L)
                .setKind(TrainerEventKind.CHECKPOINT)
                .setStep(1500L)
                .setSamplesSeen(48_000L)
                .setLoss(1.25)
                .setMetrics(Map.of("val.text_to_region.r_precision", 0.61))
                .setCheckpointLocation("/tmp/checkpoints/step-1500")
                .setTime(TIME)
                .build();
    }
}
