package io.villa.flink.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.Optimizer;
import io.villa.djl.EngineSetup;

/** A model restored from its state trains on exactly as the original; from parameters alone it does not. */
class MappingModelStateTest {

    static final int K = 6;

    static List<List<MappingExample>> batches(int count) {
        List<MappingExample> images = MappingLearnerIT.images(16 * count, 21);
        List<List<MappingExample>> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(images.subList(16 * i, 16 * (i + 1)));
        }
        return out;
    }

    static double maxAbsDifference(Map<String, float[]> a, Map<String, float[]> b) {
        assertThat(a.keySet()).isEqualTo(b.keySet());
        double max = 0;
        for (String name : a.keySet()) {
            float[] x = a.get(name);
            float[] y = b.get(name);
            assertThat(x).hasSameSizeAs(y);
            for (int i = 0; i < x.length; i++) {
                max = Math.max(max, Math.abs(x[i] - y[i]));
            }
        }
        return max;
    }

    @Test
    void restoredStateContinuesTrainingAsIfNeverInterrupted() throws Exception {
        MappingConfig config = MappingLearnerIT.config(MappingConfig.CONV);
        int attributes = MappingLearnerIT.COLOURS.length;
        List<List<MappingExample>> batches = batches(2 * K);

        Map<String, float[]> uninterrupted;
        try (MappingModel model = new MappingModel(config, attributes)) {
            batches.forEach(model::trainStep);
            uninterrupted = model.parameterValues();
        }
        ModelState state;
        try (MappingModel model = new MappingModel(config, attributes)) {
            batches.subList(0, K).forEach(model::trainStep);
            state = roundTrip(model.state());
        }
        try (MappingModel restored = MappingModel.restore(config, attributes, state)) {
            batches.subList(K, 2 * K).forEach(restored::trainStep);
            assertThat(maxAbsDifference(restored.parameterValues(), uninterrupted))
                    .isLessThanOrEqualTo(1e-6);
        }
        // parameters alone restart Adam (moments zero, bias correction from step 1): a lost optimizer state shows
        try (MappingModel freshOptimizer = new MappingModel(config, attributes, state.parameters())) {
            batches.subList(K, 2 * K).forEach(freshOptimizer::trainStep);
            assertThat(maxAbsDifference(freshOptimizer.parameterValues(), uninterrupted))
                    .isGreaterThan(1e-4);
        }
    }

    @Test
    void anOptimizerStateOfAnotherShapeIsRefusedWithTheParameterName() {
        MappingConfig config = MappingLearnerIT.config(MappingConfig.PIXELS);
        List<MappingExample> batch = batches(1).get(0);
        ModelState four;
        ModelState five;
        try (MappingModel a = new MappingModel(config, 4);
                MappingModel b = new MappingModel(config, 5)) {
            a.trainStep(batch);
            b.trainStep(batch);
            four = a.state();
            five = b.state();
        }
        assertThatThrownBy(() -> MappingModel.restore(config, 4, new ModelState(four.parameters(), five.optimizer()))
                        .close())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("optimizer state")
                .hasMessageContaining("headW1");
        assertThatThrownBy(() -> new ModelState(four.parameters(), new byte[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("optimizer");
    }

    @Test
    void updatesExactlyAsDjlAdam() {
        EngineSetup.start(1);
        try (NDManager m = NDManager.newBaseManager()) {
            Adam djl = Optimizer.adam().build();
            CheckpointableAdam ours = CheckpointableAdam.builder().build();
            NDArray a = m.randomNormal(new ai.djl.ndarray.types.Shape(5, 7));
            NDArray b = a.duplicate();
            for (int step = 0; step < 5; step++) {
                NDArray grad = m.randomNormal(a.getShape());
                djl.update("w", a, grad);
                ours.update("w", b, grad);
            }
            assertThat(b.toFloatArray()).containsExactly(a.toFloatArray());
        }
    }

    private static ModelState roundTrip(ModelState state) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(state);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (ModelState) in.readObject();
        }
    }
}
