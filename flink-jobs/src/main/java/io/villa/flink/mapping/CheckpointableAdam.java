package io.villa.flink.mapping;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.PairList;

/**
 * DJL's Adam (same update rule, same defaults, the engine's fused {@code adamUpdate}) with a state that can be
 * saved and restored: DJL's {@link ai.djl.training.optimizer.Adam} keeps its moments and update counts private,
 * so a model restored from parameters alone would restart Adam (bias correction, moments) from zero.
 *
 * <p>The state holds, per parameter, the first and second moments and the update count, named by the parameter's
 * name in its block (parameter ids are random per model instance, names are not). Thread-safe as DJL's Adam.
 */
public final class CheckpointableAdam extends Optimizer {

    /** First int of the saved state; changes with the layout. */
    private static final int FORMAT = 0x56414431; // "VAD1"

    private final ParameterTracker learningRateTracker;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final int beginNumUpdate;

    private final Map<String, Map<Device, NDArray>> means = new ConcurrentHashMap<>();
    private final Map<String, Map<Device, NDArray>> variances = new ConcurrentHashMap<>();
    // ours, not Optimizer's: its counts are private and could not be restored
    private final Map<String, Integer> updateCounts = new ConcurrentHashMap<>();
    private volatile int numUpdate;

    private CheckpointableAdam(Builder builder) {
        super(builder);
        this.learningRateTracker = builder.learningRateTracker;
        this.beta1 = builder.beta1;
        this.beta2 = builder.beta2;
        this.epsilon = builder.epsilon;
        this.beginNumUpdate = builder.beginNumUpdate;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** As Optimizer#updateCount: the highest count over all parameters, after counting this one. */
    @Override
    protected synchronized int updateCount(String parameterId) {
        int count = updateCounts.compute(parameterId, (key, val) -> val == null ? beginNumUpdate + 1 : val + 1);
        numUpdate = Math.max(numUpdate, count);
        return numUpdate;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        // as ai.djl.training.optimizer.Adam#update in DJL 0.36
        int t = updateCount(parameterId);
        double coef1 = 1.0 - Math.pow(beta1, t);
        double coef2 = 1.0 - Math.pow(beta2, t);
        float lr = learningRateTracker.getNewValue(parameterId, t);
        float newLearningRate = (float) (lr * Math.sqrt(coef2) / coef1);
        float weightDecay = getWeightDecay();
        if (Float.isNaN(newLearningRate) || Float.isNaN(weightDecay) || Float.isInfinite(newLearningRate)
                || Float.isInfinite(weightDecay)) {
            throw new IllegalStateException("learning rate or weight decay is nan or infinite: learning rate "
                    + newLearningRate + ", weight decay " + weightDecay);
        }
        NDList inputs = new NDList(weight, grad,
                withDefaultState(means, parameterId, weight.getDevice(), k -> weight.zerosLike()),
                withDefaultState(variances, parameterId, weight.getDevice(), k -> weight.zerosLike()));
        weight.getNDArrayInternal().adamUpdate(inputs, new NDList(weight), lr, newLearningRate, weightDecay, rescaleGrad,
                clipGrad, beta1, beta2, epsilon, true, false);
    }

    /**
     * The state of every parameter in {@code parameters} (a block's {@code getParameters()}), in their order:
     * format int, then per parameter its name (UTF), update count (int, 0 = never updated) and, when updated,
     * the first and second moments as {@link NDArray#encode()} bytes (int length + bytes each).
     */
    public synchronized byte[] saveState(PairList<String, Parameter> parameters) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(FORMAT);
            out.writeInt(numUpdate);
            out.writeInt(parameters.size());
            for (var entry : parameters) {
                String id = entry.getValue().getId();
                Integer count = updateCounts.get(id);
                out.writeUTF(entry.getKey());
                out.writeInt(count == null ? 0 : count);
                if (count != null) {
                    writeArray(out, first(means, id, entry.getKey()));
                    writeArray(out, first(variances, id, entry.getKey()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Replaces the state with one from {@link #saveState} of an optimizer for a model of the same shape; moments are
     * created on each parameter's array manager (device). Call before the first update.
     *
     * @throws IllegalArgumentException when the bytes are not such a state, or name a parameter {@code parameters}
     *                                  lacks or one of another shape
     */
    public synchronized void loadState(byte[] state, PairList<String, Parameter> parameters) {
        Map<String, Parameter> byName = new HashMap<>();
        for (var entry : parameters) {
            byName.put(entry.getKey(), entry.getValue());
        }
        Map<String, Map<Device, NDArray>> newMeans = new HashMap<>();
        Map<String, Map<Device, NDArray>> newVariances = new HashMap<>();
        Map<String, Integer> newCounts = new HashMap<>();
        int newNumUpdate;
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
            int format = in.readInt();
            if (format != FORMAT) {
                throw new IllegalArgumentException("optimizer state: format is " + Integer.toHexString(format)
                        + ", expected " + Integer.toHexString(FORMAT));
            }
            newNumUpdate = in.readInt();
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                int count = in.readInt();
                Parameter parameter = byName.get(name);
                if (parameter == null) {
                    throw new IllegalArgumentException("optimizer state: parameter " + name + " is not in this model");
                }
                if (count == 0) {
                    continue;
                }
                NDArray weight = parameter.getArray();
                NDArray mean = readArray(in, weight, name);
                NDArray variance = readArray(in, weight, name);
                newCounts.put(parameter.getId(), count);
                newMeans.put(parameter.getId(), deviceMap(mean));
                newVariances.put(parameter.getId(), deviceMap(variance));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("optimizer state: not readable (" + e + ")", e);
        }
        means.clear();
        means.putAll(newMeans);
        variances.clear();
        variances.putAll(newVariances);
        updateCounts.clear();
        updateCounts.putAll(newCounts);
        numUpdate = newNumUpdate;
    }

    private static NDArray first(Map<String, Map<Device, NDArray>> state, String id, String name) {
        Map<Device, NDArray> perDevice = state.get(id);
        if (perDevice == null || perDevice.isEmpty()) {
            throw new IllegalStateException("optimizer state: parameter " + name + " was updated but has no moments");
        }
        return perDevice.values().iterator().next();
    }

    private static void writeArray(DataOutputStream out, NDArray array) throws IOException {
        byte[] encoded = array.encode();
        out.writeInt(encoded.length);
        out.write(encoded);
    }

    private static NDArray readArray(DataInputStream in, NDArray weight, String name) throws IOException {
        byte[] encoded = new byte[in.readInt()];
        in.readFully(encoded);
        NDArray array = weight.getManager().decode(encoded);
        if (!array.getShape().equals(weight.getShape()) || array.getDataType() != weight.getDataType()) {
            Object found = array.getShape() + " " + array.getDataType();
            array.close();
            throw new IllegalArgumentException("optimizer state: parameter " + name + " has moments of " + found
                    + ", the model's are " + weight.getShape() + " " + weight.getDataType());
        }
        // as Optimizer#withDefaultState: the optimizer owns its state, not the manager it was made on
        array.detach();
        return array;
    }

    private static Map<Device, NDArray> deviceMap(NDArray array) {
        Map<Device, NDArray> map = new ConcurrentHashMap<>();
        map.put(array.getDevice(), array);
        return map;
    }

    /** Builds a {@link CheckpointableAdam}; defaults as DJL's Adam (learning rate 0.001, 0.9, 0.999, 1e-8). */
    public static final class Builder extends OptimizerBuilder<Builder> {

        private ParameterTracker learningRateTracker = Tracker.fixed(0.001f);
        private float beta1 = 0.9f;
        private float beta2 = 0.999f;
        private float epsilon = 1e-8f;
        private int beginNumUpdate;

        private Builder() {
        }

        @Override
        protected Builder self() {
            return this;
        }

        public Builder optLearningRateTracker(ParameterTracker tracker) {
            this.learningRateTracker = tracker;
            return this;
        }

        public Builder optBeta1(float beta1) {
            this.beta1 = beta1;
            return this;
        }

        public Builder optBeta2(float beta2) {
            this.beta2 = beta2;
            return this;
        }

        public Builder optEpsilon(float epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        /** Kept here too: Optimizer's copy is private and our update counts replace its own. */
        @Override
        public Builder optBeginNumUpdate(int begin) {
            this.beginNumUpdate = begin;
            return super.optBeginNumUpdate(begin);
        }

        public CheckpointableAdam build() {
            if (learningRateTracker == null) {
                throw new IllegalArgumentException("learningRateTracker must not be null");
            }
            return new CheckpointableAdam(this);
        }
    }
}
