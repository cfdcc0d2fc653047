package io.villa.flink.operators;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import io.villa.flink.attributes.AttributeVocabulary;
import io.villa.flink.io.KeyedBytes;
import io.villa.flink.mapping.MappingConfig;
import io.villa.records.RegionAttributePair;
import io.villa.schemas.Codecs;

/** The mapping operator alone, in Flink's operator test harness (real state snapshots, real DJL model). */
class MappingOperatorTest {

    static final String[] WORDS = {"red", "green", "blue", "yellow"};
    static final float[][] RGB = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 1, 0}};
    static final int SIZE = 12;
    static final int WARMUP = 8;
    static final int WARMUP_STEPS = 30;

    static MappingOperator operator() {
        return operator(0);
    }

    static MappingOperator operator(long logEvery) {
        MappingConfig config = new MappingConfig(0.07f, 0.2f, 16, 8, 5e-3f, 8, 64, 4, WARMUP, WARMUP_STEPS, SIZE,
                MappingConfig.PIXELS, 1, 11L);
        return MappingOperator.builder().setConfig(config).setVocabulary(new AttributeVocabulary(List.of(WORDS)))
                .optLogEvery(logEvery).build();
    }

    static OneInputStreamOperatorTestHarness<PreparedPair, KeyedBytes> harness() throws Exception {
        return new OneInputStreamOperatorTestHarness<>(new MappingStreamOperator(operator()));
    }

    /** A pair of 2 or 3 solid-colour regions; the report names each region's colour. */
    static PreparedPair pair(int index, String split, Random random) {
        int regions = 2 + random.nextInt(2);
        List<Integer> colours = new ArrayList<>(List.of(0, 1, 2, 3));
        java.util.Collections.shuffle(colours, random);
        PreparedPair p = new PreparedPair();
        p.pairId = "p-" + index;
        p.split = split;
        p.eventTime = 1000L + index;
        p.imageData = new byte[] {1, 2, 3};
        p.imageFormat = "PNG";
        p.width = SIZE * regions;
        p.height = SIZE;
        p.boxes = new int[regions][];
        p.regionPixels = new byte[regions][];
        p.regionPng = new byte[regions][];
        p.sentences = new String[regions];
        p.groundTruth = new String[regions][];
        for (int r = 0; r < regions; r++) {
            int c = colours.get(r);
            p.boxes[r] = new int[] {r * SIZE, 0, SIZE, SIZE};
            byte[] px = new byte[3 * SIZE * SIZE];
            for (int ch = 0; ch < 3; ch++) {
                for (int k = 0; k < SIZE * SIZE; k++) {
                    px[ch * SIZE * SIZE + k] = (byte) Math.round(255 * (0.8f * RGB[c][ch] + 0.2f * random.nextFloat()));
                }
            }
            p.regionPixels[r] = px;
            p.regionPng[r] = new byte[] {(byte) r};
            p.sentences[r] = "the color is " + WORDS[c];
            p.groundTruth[r] = new String[] {WORDS[c]};
        }
        p.report = String.join(" . ", p.sentences);
        p.topic = "pairs";
        return p;
    }

    static List<RegionAttributePair> decoded(OneInputStreamOperatorTestHarness<PreparedPair, KeyedBytes> h) {
        List<RegionAttributePair> out = new ArrayList<>();
        for (KeyedBytes kb : h.extractOutputValues()) {
            out.add(Codecs.REGION_ATTRIBUTE_PAIR.decode(kb.value));
        }
        return out;
    }

    @Test
    void pairsWaitForWarmUpThenEveryPairIsDecomposedWithItsSentences() throws Exception {
        Random random = new Random(1);
        try (var h = harness()) {
            h.open();
            for (int i = 0; i < WARMUP - 1; i++) {
                h.processElement(new StreamRecord<>(pair(i, "TRAIN", random)));
            }
            h.processElement(new StreamRecord<>(pair(100, "VAL", random)));
            assertThat(h.extractOutputValues()).as("nothing before warm-up").isEmpty();
            h.processElement(new StreamRecord<>(pair(WARMUP - 1, "TRAIN", random)));

            List<RegionAttributePair> out = decoded(h);
            List<RegionAttributePair> whole = out.stream().filter(RegionAttributePair::getWholeImage).toList();
            assertThat(whole).extracting(RegionAttributePair::getPairId)
                    .containsExactlyInAnyOrder("p-0", "p-1", "p-2", "p-3", "p-4", "p-5", "p-6", "p-7", "p-100");
            assertThat(out).allSatisfy(r -> assertThat(r.getModelVersion()).isEqualTo(WARMUP_STEPS));
            for (RegionAttributePair w : whole) {
                assertThat(w.getRegionIndex()).isEqualTo(-1);
                assertThat(w.getText()).contains(" . ");
            }
            for (RegionAttributePair r : out.stream().filter(r -> !r.getWholeImage()).toList()) {
                assertThat(r.getAttributes()).isNotEmpty();
                assertThat(r.getScores()).containsOnlyKeys(r.getAttributes().toArray(String[]::new));
                // one sentence per assigned attribute, each one that mentions it
                assertThat(r.getText().split(" \\. ")).hasSize(r.getAttributes().size());
                for (String word : r.getAttributes()) {
                    assertThat(r.getText()).contains("the color is " + word);
                }
                assertThat(r.getGroundTruth()).hasSize(1);
            }
        }
    }

    @Test
    void qualityIsAnnouncedAsTrainerEventsWithF1PerSplit() throws Exception {
        Random random = new Random(3);
        try (var h = new OneInputStreamOperatorTestHarness<PreparedPair, KeyedBytes>(new MappingStreamOperator(operator(10)))) {
            h.open();
            for (int i = 0; i < 20; i++) {
                h.processElement(new StreamRecord<>(pair(i, i % 2 == 0 ? "TRAIN" : "VAL", random)));
            }
            List<io.villa.records.TrainerEvent> events = h.getSideOutput(MappingOperator.QUALITY_EVENTS).stream()
                    .map(r -> io.villa.schemas.Codecs.TRAINER_EVENT.decode(r.getValue().value)).toList();
            assertThat(events).as("one per 10 pairs once warm").hasSize(1);
            io.villa.records.TrainerEvent last = events.get(0);
            assertThat(last.getModelId()).isEqualTo(MappingOperator.MODEL_ID);
            assertThat(last.getKind()).isEqualTo(io.villa.records.TrainerEventKind.METRICS);
            assertThat(last.getSamplesSeen()).isEqualTo(10);
            assertThat(last.getMetrics()).containsKeys("VAL.f1", "TRAIN.f1", "VAL.precision", "VAL.recall");
            assertThat(last.getMetrics().get("VAL.images")).isPositive();
            assertThat(last.getMetrics().get("VAL.f1")).isBetween(0.0, 1.0);
        }
    }

    @Test
    void snapshotKeepsWaitingPairsAndTheModelSoARestoredOperatorContinues() throws Exception {
        Random random = new Random(2);
        OperatorSubtaskState beforeWarmUp;
        try (var h = harness()) {
            h.open();
            for (int i = 0; i < WARMUP - 1; i++) {
                h.processElement(new StreamRecord<>(pair(i, "TRAIN", random)));
            }
            beforeWarmUp = h.snapshot(1L, 1L);
        }
        OperatorSubtaskState afterWarmUp;
        try (var h = harness()) {
            h.initializeState(beforeWarmUp);
            h.open();
            h.processElement(new StreamRecord<>(pair(WARMUP - 1, "TRAIN", random)));
            // the 7 restored waiting pairs come out with the 8th, once warm
            assertThat(decoded(h).stream().filter(RegionAttributePair::getWholeImage).count()).isEqualTo(WARMUP);
            for (int i = WARMUP; i < WARMUP + 8; i++) {
                h.processElement(new StreamRecord<>(pair(i, "TRAIN", random)));
            }
            afterWarmUp = h.snapshot(2L, 2L);
        }
        long versionAtSnapshot = WARMUP_STEPS + 4;   // warm-up + one round of 4 passes after 8 more TRAIN pairs
        try (var h = harness()) {
            h.initializeState(afterWarmUp);
            h.open();
            h.processElement(new StreamRecord<>(pair(500, "VAL", random)));
            List<RegionAttributePair> out = decoded(h);
            assertThat(out).isNotEmpty();
            assertThat(out).allSatisfy(r -> assertThat(r.getModelVersion()).isEqualTo(versionAtSnapshot));
        }
    }

    static List<io.villa.records.DeadLetter> deadLetters(OneInputStreamOperatorTestHarness<PreparedPair, KeyedBytes> h) {
        var letters = h.getSideOutput(io.villa.flink.io.DeadLetterOutput.TAG);
        return letters == null ? List.of() : letters.stream()
                .map(r -> Codecs.DEAD_LETTER.decode(r.getValue().value)).toList();
    }

    static List<String> wholeImageIds(OneInputStreamOperatorTestHarness<PreparedPair, KeyedBytes> h) {
        return decoded(h).stream().filter(RegionAttributePair::getWholeImage).map(r -> r.getPairId().toString()).toList();
    }

    /** Region pixels of the wrong size: the model cannot take this pair. */
    static PreparedPair poisoned(int index, String split, Random random) {
        PreparedPair p = pair(index, split, random);
        p.pairId = "poison-" + index;
        p.regionPixels[0] = new byte[7];
        p.offset = 900 + index;
        p.rawValue = new byte[] {9, 9};
        return p;
    }

    @Test
    void aPairTheModelCannotTakeIsADeadLetterAndTheStreamGoesOn() throws Exception {
        Random random = new Random(4);
        try (var h = harness()) {
            h.open();
            h.processElement(new StreamRecord<>(poisoned(0, "TRAIN", random)));        // refused before the replay buffer
            for (int i = 0; i < WARMUP - 1; i++) {
                h.processElement(new StreamRecord<>(pair(i, "TRAIN", random)));
            }
            h.processElement(new StreamRecord<>(poisoned(1, "VAL", random)));          // waits, then spoils the backlog's batch
            h.processElement(new StreamRecord<>(pair(100, "VAL", random)));
            h.processElement(new StreamRecord<>(pair(WARMUP - 1, "TRAIN", random)));   // warm: the backlog comes out
            h.processElement(new StreamRecord<>(poisoned(2, "TEST", random)));          // alone, once warm
            h.processElement(new StreamRecord<>(pair(101, "TEST", random)));

            assertThat(wholeImageIds(h)).containsExactlyInAnyOrder("p-0", "p-1", "p-2", "p-3", "p-4", "p-5", "p-6", "p-7",
                    "p-100", "p-101");
            List<io.villa.records.DeadLetter> letters = deadLetters(h);
            assertThat(letters).extracting(io.villa.records.DeadLetter::getSourceOffset).containsExactlyInAnyOrder(900L, 901L, 902L);
            assertThat(letters).allSatisfy(l -> {
                assertThat(l.getStage()).isEqualTo(MappingOperator.STAGE);
                assertThat(l.getErrorMessage()).contains("region pixels must be");
                assertThat(l.getOriginalValue().array()).containsExactly(9, 9);
            });
        }
    }

    @Test
    void aPairWhoseOutputWouldNotFitTheSinkIsADeadLetter() throws Exception {
        Random random = new Random(5);
        MappingConfig config = new MappingConfig(0.07f, 0.2f, 16, 8, 5e-3f, 8, 64, 4, 2, 2, SIZE, MappingConfig.PIXELS, 1, 11L);
        MappingOperator small = MappingOperator.builder().setConfig(config).setVocabulary(new AttributeVocabulary(List.of(WORDS)))
                .optLimits(InputLimits.builder().optMaxOutputRecordBytes(2_000).build()).optLogEvery(0).build();
        try (var h = new OneInputStreamOperatorTestHarness<PreparedPair, KeyedBytes>(new MappingStreamOperator(small))) {
            h.open();
            for (int i = 0; i < 3; i++) {
                h.processElement(new StreamRecord<>(pair(i, "TRAIN", random)));
            }
            PreparedPair big = pair(50, "VAL", random);
            big.imageData = new byte[5_000];                                           // the whole-image record copies it
            h.processElement(new StreamRecord<>(big));

            assertThat(wholeImageIds(h)).containsExactlyInAnyOrder("p-0", "p-1", "p-2");
            assertThat(decoded(h)).noneMatch(r -> r.getPairId().toString().equals("p-50"));
            assertThat(deadLetters(h)).singleElement().satisfies(l -> assertThat(l.getErrorMessage())
                    .contains("output record for the whole image would be").contains("over the sink's limit of 2000"));
        }
    }

    @Test
    void atTheEndOfABoundedInputWaitingPairsAreDecomposedByAModelWarmedOnWhatThereIs() throws Exception {
        Random random = new Random(6);
        try (var h = harness()) {
            h.open();
            for (int i = 0; i < 3; i++) {                                              // fewer than WARMUP
                h.processElement(new StreamRecord<>(pair(i, "TRAIN", random)));
            }
            h.processElement(new StreamRecord<>(pair(100, "TEST", random)));
            assertThat(h.extractOutputValues()).isEmpty();

            h.endInput();

            assertThat(wholeImageIds(h)).containsExactlyInAnyOrder("p-0", "p-1", "p-2", "p-100");
            assertThat(decoded(h)).allSatisfy(r -> assertThat(r.getModelVersion()).isEqualTo(WARMUP_STEPS));
            assertThat(deadLetters(h)).isEmpty();
        }
    }

    @Test
    void atTheEndOfABoundedInputWithNothingToLearnFromWaitingPairsAreDeadLetters() throws Exception {
        Random random = new Random(7);
        try (var h = harness()) {
            h.open();
            h.processElement(new StreamRecord<>(pair(0, "TRAIN", random)));
            h.processElement(new StreamRecord<>(pair(100, "VAL", random)));

            h.endInput();

            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(deadLetters(h)).hasSize(2).allSatisfy(l -> assertThat(l.getErrorMessage())
                    .contains("bounded input ended before the mapping model could learn: 1 TRAIN pairs"));
        }
    }
}
