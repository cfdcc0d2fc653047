package io.villa.flink.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The real DJL mapping model on tiny inputs: regions are noisy solid colours, the report names the colours
 * of the image, nothing says which region has which. The model must find out.
 */
class MappingLearnerIT {

    static final float[][] COLOURS = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 1, 0}};
    static final int SIZE = 12;

    static MappingConfig config(String encoder) {
        return MappingConfig.builder()
                .optHeadWidth(16)
                .optEmbeddingDim(8)
                .optLearningRate(5e-3f)
                .optBatchSize(16)
                .optReplaySize(256)
                .optPasses(4)
                .optWarmup(32, 40)
                .optRegionSize(SIZE)
                .optEncoder(encoder)
                .optSeed(7L)
                .build();
    }

    static List<MappingExample> images(int n, long seed) {
        Random random = new Random(seed);
        List<MappingExample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int regions = 2 + random.nextInt(2);
            List<Integer> colours = new ArrayList<>(List.of(0, 1, 2, 3));
            java.util.Collections.shuffle(colours, random);
            List<byte[]> pixels = new ArrayList<>();
            List<int[]> truth = new ArrayList<>();
            for (int r = 0; r < regions; r++) {
                int c = colours.get(r);
                byte[] p = new byte[3 * SIZE * SIZE];
                for (int ch = 0; ch < 3; ch++) {
                    for (int k = 0; k < SIZE * SIZE; k++) {
                        p[ch * SIZE * SIZE + k] = level(COLOURS[c][ch] * 0.8f + 0.2f * random.nextFloat());
                    }
                }
                pixels.add(p);
                truth.add(new int[] {c});
            }
            int[] present = colours.subList(0, regions).stream()
                    .mapToInt(Integer::intValue)
                    .sorted()
                    .toArray();
            out.add(new MappingExample(pixels, present, truth));
        }
        return out;
    }

    /** A value in [0,1] as the nearest unsigned 8-bit level, as region pixels are stored. */
    static byte level(float value) {
        return (byte) Math.round(255 * Math.min(1f, Math.max(0f, value)));
    }

    static MappingQuality.Counts quality(MappingLearner learner, List<MappingExample> val) {
        MappingQuality q = new MappingQuality();
        List<Assignment> a = learner.assign(val);
        for (int i = 0; i < val.size(); i++) {
            q.add("VAL", a.get(i), val.get(i).truth());
        }
        return q.split("VAL");
    }

    /** Quality of assigning every attribute of the report to every region: what any model must beat by far. */
    static MappingQuality.Counts everythingEverywhere(List<MappingExample> val) {
        MappingQuality q = new MappingQuality();
        for (MappingExample e : val) {
            int attributes = java.util.Arrays.stream(e.attributes()).max().orElse(0) + 1;
            q.add(
                    "VAL",
                    Assignment.of(new float[attributes][e.regionCount()], e.attributes(), e.regionCount(), 0.2f),
                    e.truth());
        }
        return q.split("VAL");
    }

    @Test
    void learnsWhichRegionHasWhichAttributeWithoutRegionLabels() {
        List<MappingExample> train = images(160, 1);
        List<MappingExample> val = images(60, 2);
        try (MappingLearner learner = new MappingLearner(config(MappingConfig.PIXELS), COLOURS.length)) {
            assertThat(learner.isWarm()).isFalse();
            for (int i = 0; i < train.size(); i++) {
                learner.learn(train.get(i));
                assertThat(learner.isWarm()).isEqualTo(i + 1 >= 32);
            }
            // 40 warm-up steps + 4 steps per 16 new images afterwards
            assertThat(learner.version()).isEqualTo(40 + 4 * ((160 - 32) / 16));
            double early = quality(learner, val).f1();
            learner.train(200);
            MappingQuality.Counts late = quality(learner, val);
            System.out.println("tiny colours: F1 " + early + " -> " + late);
            assertThat(early).isGreaterThan(0.9);
            assertThat(late.f1()).isGreaterThan(0.95);
        }
    }

    @Test
    void convTrunkLearnsToo() {
        List<MappingExample> train = images(96, 3);
        List<MappingExample> val = images(40, 4);
        try (MappingLearner learner = new MappingLearner(config(MappingConfig.CONV), COLOURS.length)) {
            train.forEach(learner::learn);
            learner.train(200);
            assertThat(quality(learner, val).f1()).isGreaterThan(0.9);
        }
    }

    /**
     * The same model: bit for bit as a rule (MKL_CBWR=AUTO,STRICT in the test JVM), and never more than 1e-5 apart in any
     * parameter (a different batch, a lost optimizer state or replay buffer moves parameters by orders of magnitude more).
     */
    static void assertSameModel(byte[] actual, byte[] expected) {
        MappingConfig config = config(MappingConfig.PIXELS);
        try (MappingModel a = new MappingModel(config, COLOURS.length, actual);
                MappingModel e = new MappingModel(config, COLOURS.length, expected)) {
            java.util.Map<String, float[]> av = a.parameterValues();
            java.util.Map<String, float[]> ev = e.parameterValues();
            assertThat(av.keySet()).isEqualTo(ev.keySet());
            double max = 0;
            for (String name : ev.keySet()) {
                for (int i = 0; i < ev.get(name).length; i++) {
                    max = Math.max(max, Math.abs(av.get(name)[i] - ev.get(name)[i]));
                }
            }
            assertThat(max).as("largest parameter difference").isLessThanOrEqualTo(1e-5);
        }
    }

    /**
     * Learning may run behind the stream (the job learns on its own thread): a learner that takes its owed steps
     * long after the images arrived must learn exactly what one that takes them at once learns.
     */
    @Test
    void learningLateLearnsExactlyWhatLearningAtOnceLearns() {
        List<MappingExample> train = images(120, 8);
        MappingConfig config = config(MappingConfig.PIXELS);
        try (MappingLearner atOnce = new MappingLearner(config, COLOURS.length);
                MappingLearner late = new MappingLearner(config, COLOURS.length)) {
            train.forEach(atOnce::learn);
            for (int i = 0; i < train.size(); i++) {
                late.offer(train.get(i));
                if (i % 50 == 49) { // runs 50 images behind, then catches up a little
                    for (int s = 0; s < 20 && late.hasWork(); s++) {
                        late.step();
                    }
                }
            }
            assertThat(late.lagImages()).isPositive();
            while (late.hasWork()) {
                late.step();
            }
            assertThat(late.version()).isEqualTo(atOnce.version()).isEqualTo(40 + 4 * ((120 - 32) / 16));
            assertSameModel(late.parameters(), atOnce.parameters());
        }
    }

    /**
     * A learner restored from a state taken mid-way (steps still owed, replay buffer full) goes on exactly as the
     * original: same versions, bit-identical parameters at the end. A state without the optimizer's moments or the
     * replay buffer would not.
     */
    @Test
    void restoredMidWayContinuesExactly() {
        List<MappingExample> train = images(150, 9);
        MappingConfig config = config(MappingConfig.PIXELS);
        try (MappingLearner uninterrupted = new MappingLearner(config, COLOURS.length);
                MappingLearner first = new MappingLearner(config, COLOURS.length)) {
            train.forEach(uninterrupted::learn);
            for (int i = 0; i < 90; i++) {
                first.offer(train.get(i));
            }
            for (int s = 0; s < 45; s++) {
                first.step();
            }
            assertThat(first.stepsOwed()).isPositive();
            byte[] state = first.stateBytes();
            try (MappingLearner restored = new MappingLearner(config, COLOURS.length, state)) {
                assertThat(restored.version()).isEqualTo(45);
                assertThat(restored.stepsOwed()).isEqualTo(first.stepsOwed());
                assertThat(restored.replaySize()).isEqualTo(first.replaySize());
                train.subList(90, train.size()).forEach(restored::learn);
                while (restored.hasWork()) {
                    restored.step();
                }
                assertThat(restored.version()).isEqualTo(uninterrupted.version());
                assertSameModel(restored.parameters(), uninterrupted.parameters());
            }
        }
    }

    @Test
    void replayKeepsWhatALateStepNeedsAndNoMore() {
        MappingConfig config = config(MappingConfig.PIXELS); // replay 256, warm-up at 32, a round per 16
        try (MappingLearner learner = new MappingLearner(config, COLOURS.length)) {
            images(400, 10).forEach(learner::offer);
            // nothing learned yet: the warm-up window (the first 32) and every round's window are still needed
            assertThat(learner.replaySize()).isEqualTo(400);
            while (learner.hasWork()) {
                learner.step();
            }
            assertThat(learner.replaySize()).isEqualTo(256);
        }
    }

    @Test
    void restoredLearnerScoresExactlyLikeTheOriginalAndKeepsItsVersion() {
        List<MappingExample> train = images(64, 5);
        List<MappingExample> val = images(10, 6);
        MappingConfig config = config(MappingConfig.PIXELS);
        try (MappingLearner learner = new MappingLearner(config, COLOURS.length)) {
            train.forEach(learner::learn);
            byte[] state = learner.stateBytes();
            try (MappingLearner restored = new MappingLearner(config, COLOURS.length, state);
                    MappingLearner fresh = new MappingLearner(config, COLOURS.length)) {
                assertThat(restored.version()).isEqualTo(learner.version()).isPositive();
                assertThat(restored.isWarm()).isTrue();
                assertThat(restored.trainSeen()).isEqualTo(64);
                assertThat(restored.assign(val)).isEqualTo(learner.assign(val));
                assertThat(fresh.assign(val)).isNotEqualTo(learner.assign(val));
            }
        }
    }

    @Test
    void torchScriptEncoderThatCannotBeLoadedIsAClearError(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        java.nio.file.Path missing = dir.resolve("missing.pt");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new MappingLearner(config(missing.toString()), 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing.pt");
        java.nio.file.Path junk = java.nio.file.Files.write(dir.resolve("encoder.pt"), new byte[] {1, 2, 3, 4});
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new MappingLearner(config(junk.toString()), 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a loadable TorchScript");
    }

    @Test
    void epsilonRuleAssignsEveryRegionNearTheBest() {
        float[][] scores = {{0.9f, 0.75f, 0.2f}, {0.1f, 0.1f, 0.1f}, {-0.5f, 0.3f, 0.35f}};
        Assignment a = Assignment.of(scores, new int[] {0, 2}, 3, 0.2f);
        assertThat(a.region(0)).containsOnlyKeys(0);
        assertThat(a.region(1)).containsOnlyKeys(0, 2);
        assertThat(a.region(2)).containsOnlyKeys(2);
    }

    @Test
    void qualityCountsPrecisionAndRecall() {
        MappingQuality q = new MappingQuality();
        Assignment a = Assignment.of(new float[][] {{1f, 0.9f}, {0f, 1f}}, new int[] {0, 1}, 2, 0.2f);
        // region 0 gets {0}, region 1 gets {0, 1}; truth: region 0 {0}, region 1 {1}
        q.add("VAL", a, List.of(new int[] {0}, new int[] {1}));
        assertThat(q.split("VAL").precision()).isEqualTo(2.0 / 3);
        assertThat(q.split("VAL").recall()).isEqualTo(1.0);
        q.add("TEST", a, null);
        assertThat(q.all()).containsOnlyKeys("VAL");
    }

    @Test
    void recentQualityForgetsImagesOutsideItsWindow() {
        MappingQuality q = new MappingQuality(2, List.of());
        Assignment wrong = Assignment.of(new float[][] {{0f, 1f}}, new int[] {0}, 2, 0.2f); // a -> region 1
        Assignment right = Assignment.of(new float[][] {{1f, 0f}}, new int[] {0}, 2, 0.2f); // a -> region 0
        List<int[]> truth = List.of(new int[] {0}, new int[0]);
        q.add("VAL", wrong, truth);
        q.add("VAL", right, truth);
        q.add("VAL", right, truth);
        assertThat(q.split("VAL").f1()).isEqualTo(2.0 / 3);
        assertThat(q.recent("VAL").f1()).isEqualTo(1.0);
        assertThat(q.recent("VAL").images).isEqualTo(2);
    }
}
