package io.villa.trainer.model;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.flink.annotation.VisibleForTesting;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;

/**
 * Adam whose state (first and second moments and the step count of every parameter) can be written
 * to and read from a checkpoint. DJL's own {@code Adam} keeps that state private, so a resumed run
 * would restart the moments from zero; this one performs the same update through the engine's fused
 * {@code adamUpdate} and exposes its state.
 *
 * <p>State is keyed by DJL's parameter id at run time (a random UUID per process) and by the
 * parameter's path in the model ("01imageTower_..._weight") on disk; the caller supplies the mapping.
 */
public final class CheckpointableAdam extends Optimizer {

    private final float learningRate;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final Map<String, NDArray> means = new ConcurrentHashMap<>();
    private final Map<String, NDArray> variances = new ConcurrentHashMap<>();
    private final Map<String, Integer> steps = new ConcurrentHashMap<>();

    public CheckpointableAdam(float learningRate) {
        super(new Builder());
        this.learningRate = learningRate;
        this.beta1 = 0.9f;
        this.beta2 = 0.999f;
        this.epsilon = 1e-8f;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        int t = steps.merge(parameterId, 1, Integer::sum);
        double coef1 = 1.0 - Math.pow(beta1, t);
        double coef2 = 1.0 - Math.pow(beta2, t);
        float biasCorrected = (float) (learningRate * Math.sqrt(coef2) / coef1);
        NDArray mean = means.computeIfAbsent(parameterId, k -> weight.zerosLike());
        NDArray variance = variances.computeIfAbsent(parameterId, k -> weight.zerosLike());
        weight.getNDArrayInternal()
                .adamUpdate(
                        new NDList(weight, grad, mean, variance),
                        new NDList(weight),
                        learningRate,
                        biasCorrected,
                        getWeightDecay(),
                        rescaleGrad,
                        clipGrad,
                        beta1,
                        beta2,
                        epsilon,
                        true,
                        false);
    }

    /** Writes the state of every parameter in {@code pathById} (run-time id -> stable path). */
    public void save(DataOutputStream out, Map<String, String> pathById) throws IOException {
        Map<String, String> known = new HashMap<>();
        for (Map.Entry<String, String> e : pathById.entrySet()) {
            if (steps.containsKey(e.getKey())) {
                known.put(e.getKey(), e.getValue());
            }
        }
        out.writeInt(known.size());
        for (Map.Entry<String, String> e : known.entrySet()) {
            out.writeUTF(e.getValue());
            out.writeInt(steps.get(e.getKey()));
            writeArray(out, means.get(e.getKey()));
            writeArray(out, variances.get(e.getKey()));
        }
    }

    /** Reads what {@link #save} wrote; {@code idByPath} maps stable paths back to this run's ids. */
    public void load(DataInputStream in, Map<String, String> idByPath, NDManager manager) throws IOException {
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
            String path = in.readUTF();
            int t = in.readInt();
            NDArray mean = readArray(in, manager);
            NDArray variance = readArray(in, manager);
            String id = idByPath.get(path);
            if (id == null) {
                throw new IOException("optimizer state names parameter " + path + " that this model does not have");
            }
            steps.put(id, t);
            means.put(id, mean);
            variances.put(id, variance);
        }
    }

    /** Step count of one parameter. */
    @VisibleForTesting
    public int stepsOf(String parameterId) {
        return steps.getOrDefault(parameterId, 0);
    }

    private static void writeArray(DataOutputStream out, NDArray array) throws IOException {
        byte[] bytes = array.encode();
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static NDArray readArray(DataInputStream in, NDManager manager) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return manager.decode(bytes);
    }

    private static final class Builder extends OptimizerBuilder<Builder> {
        @Override
        protected Builder self() {
            return this;
        }
    }
}
