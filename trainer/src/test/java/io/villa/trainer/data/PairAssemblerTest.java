package io.villa.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.villa.records.Box;
import io.villa.records.Split;
import io.villa.trainer.image.WholeImage;

/** Joining region records with their pair's whole image: order, bounds, and what a trainer may resume from. */
class PairAssemblerTest {

    private static final int SIDE = 84;

    private static DecodedRecord region(String pair, int index, Split split) {
        return new DecodedRecord(pair, index, false, new Box(28 * index, 0, 28, 28), "the color is red", List.of("red"),
                List.of("red"), split, null);
    }

    private static DecodedRecord whole(String pair, Split split) {
        return new DecodedRecord(pair, -1, true, new Box(0, 0, SIDE, SIDE), "the color is red", List.of("red"), List.of("red"),
                split, WholeImage.ofSide(new byte[SIDE * SIDE * 3], SIDE));
    }

    private static List<String> keys(List<PairAssembler.Output<String>> out) {
        return out.stream().map(o -> o instanceof PairAssembler.Ready<String> r ? r.example().key()
                : "failed:" + ((PairAssembler.Failed<String>) o).key()).toList();
    }

    @Test
    void regionsWaitForTheirWholeImageThenLeaveInOffsetOrderSharingItsPixels() {
        PairAssembler<String> a = new PairAssembler<>(100);
        assertThat(a.add("p", 0, region("A", 0, Split.TRAIN))).isEmpty();
        assertThat(a.add("p", 1, region("A", 1, Split.TRAIN))).isEmpty();
        assertThat(a.waiting()).isEqualTo(2);
        List<PairAssembler.Output<String>> out = a.add("p", 2, whole("A", Split.TRAIN));
        assertThat(keys(out)).containsExactly("A#0", "A#1", "A#-1");
        assertThat(out).extracting(PairAssembler.Output::offset).containsExactly(0L, 1L, 2L);
        List<Example> examples = out.stream().map(o -> ((PairAssembler.Ready<String>) o).example()).toList();
        assertThat(examples.get(0).image()).isSameAs(examples.get(2).image());
        assertThat(examples.get(1).box().x()).isEqualTo(28f);
        assertThat(examples.get(2).wholeImage()).isTrue();
        assertThat(a.waiting()).isZero();
    }

    @Test
    void interleavedPairsLeaveInOffsetOrderSoTheOldestWaitingRecordIsASafeResumePoint() {
        PairAssembler<String> a = new PairAssembler<>(100);
        List<PairAssembler.Output<String>> out = new ArrayList<>();
        out.addAll(a.add("p", 10, region("A", 0, Split.TRAIN)));
        out.addAll(a.add("p", 11, region("B", 0, Split.TRAIN)));
        out.addAll(a.add("p", 12, whole("B", Split.TRAIN)));   // B is complete, but A (older) still waits
        assertThat(out).isEmpty();
        assertThat(a.oldestWaiting("p", r -> true)).hasValue(10);
        out.addAll(a.add("p", 13, region("A", 1, Split.TRAIN)));
        out.addAll(a.add("p", 14, whole("A", Split.TRAIN)));
        assertThat(out).extracting(PairAssembler.Output::offset).containsExactly(10L, 11L, 12L, 13L, 14L);
        assertThat(a.oldestWaiting("p", r -> true)).isEmpty();
    }

    @Test
    void heldOutWholeImagesOnlyBringPixelsAndHeldOutRegionsDoNotHoldBackTheResumeOffset() {
        PairAssembler<String> a = new PairAssembler<>(100);
        a.add("p", 0, region("V", 0, Split.VAL));
        a.add("p", 1, region("T", 0, Split.TRAIN));
        assertThat(a.oldestWaiting("p", r -> r.split() == Split.TRAIN)).hasValue(1);
        assertThat(keys(a.add("p", 2, whole("V", Split.VAL)))).containsExactly("V#0"); // not V#-1: evaluation ranks regions
        assertThat(keys(a.add("p", 3, whole("T", Split.TRAIN)))).containsExactly("T#0", "T#-1");
    }

    @Test
    void aRegionWithoutItsWholeImageWithinTheBoundFailsWithItsPairAndUnblocksTheRest() {
        PairAssembler<String> a = new PairAssembler<>(3);
        a.add("p", 0, region("A", 0, Split.TRAIN));
        a.add("p", 1, region("A", 1, Split.TRAIN));
        a.add("p", 2, region("B", 0, Split.TRAIN));
        assertThat(a.add("p", 3, whole("B", Split.TRAIN))).isEmpty();       // 3 offsets after A#0: still within the bound
        List<PairAssembler.Output<String>> out = a.add("p", 4, region("C", 0, Split.TRAIN)); // 4 after: A is given up
        assertThat(keys(out)).containsExactly("failed:A#0", "failed:A#1", "B#0", "B#-1");
        assertThat(((PairAssembler.Failed<String>) out.get(0)).reason()).contains("pair A").contains("no whole-image record within 3");
        assertThat(a.oldestWaiting("p", r -> true)).hasValue(4);
    }

    @Test
    void aRegionAfterItsPairsWholeImageWaitsForAnotherAndFailsAtTheEndOfAPass() {
        PairAssembler<String> a = new PairAssembler<>(100);
        assertThat(keys(a.add("p", 0, whole("A", Split.TRAIN)))).containsExactly("A#-1");
        assertThat(a.add("p", 1, region("A", 0, Split.TRAIN))).isEmpty();
        List<PairAssembler.Output<String>> out = a.drain();
        assertThat(keys(out)).containsExactly("failed:A#0");
        assertThat(((PairAssembler.Failed<String>) out.get(0)).reason()).contains("the pass ended");
        assertThat(a.waiting()).isZero();
    }

    @Test
    void partitionsAreIndependentAndABoxOutsideTheImageFailsAlone() {
        PairAssembler<String> a = new PairAssembler<>(100);
        a.add("p0", 0, region("A", 0, Split.TRAIN));
        assertThat(keys(a.add("p1", 0, whole("B", Split.TRAIN)))).containsExactly("B#-1");
        DecodedRecord outside = new DecodedRecord("A", 5, false, new Box(200, 200, 10, 10), "the color is red", List.of("red"),
                List.of(), Split.TRAIN, null);
        a.add("p0", 1, outside);
        List<PairAssembler.Output<String>> out = a.add("p0", 2, whole("A", Split.TRAIN));
        assertThat(keys(out)).containsExactly("A#0", "failed:A#5", "A#-1");
        assertThat(((PairAssembler.Failed<String>) out.get(1)).reason()).contains("outside the 84x84 image");
    }
}
