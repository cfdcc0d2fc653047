package io.villa.flink.mapping;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.flink.annotation.VisibleForTesting;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.tracker.Tracker;
import io.villa.djl.EngineSetup;
import io.villa.djl.TrainingSteps;

/**
 * The DJL side of the mapping model: a {@link MappingNetwork} in a PyTorch {@link Model}, a {@link Trainer}
 * with {@link MappingLoss} and Adam ({@link CheckpointableAdam}, so its state is part of {@link #state()}), and
 * the optional frozen TorchScript region encoder in front.
 * Not thread-safe: one owner (the learner) uses it.
 */
public final class MappingModel implements AutoCloseable {

    /**
     * Byte k as model input: k / 255f, exactly the floats the model was trained on before pixels were bytes
     * (scaled here in Java, so no engine's rounding of a division can change them).
     */
    private static final float[] LEVELS = new float[256];

    static {
        for (int k = 0; k < LEVELS.length; k++) {
            LEVELS[k] = k / 255f;
        }
    }

    private final MappingConfig config;
    private final int attributes;
    private final Model model;
    private final MappingNetwork network;
    private final Trainer trainer;
    private final CheckpointableAdam optimizer;
    private final Model scriptedEncoder;

    public MappingModel(MappingConfig config, int attributes) {
        this(config, attributes, null, null);
    }

    /**
     * A model with trained parameters and a fresh optimizer (enough to apply it; to train on as before, restore
     * its whole {@link #state()} with {@link #restore}).
     *
     * @param parameters from {@link #parameters()} of an earlier model with the same configuration, or null
     */
    public MappingModel(MappingConfig config, int attributes, byte[] parameters) {
        this(config, attributes, parameters, null);
    }

    /** The model whose {@link #state()} this was: same parameters, same optimizer state. */
    public static MappingModel restore(MappingConfig config, int attributes, ModelState state) {
        if (state == null) {
            throw new IllegalArgumentException("state must not be null");
        }
        return new MappingModel(config, attributes, state.parameters(), state.optimizer());
    }

    private MappingModel(MappingConfig config, int attributes, byte[] parameters, byte[] optimizerState) {
        EngineSetup.start(Math.max(1, config.cpuThreads())); // few threads: the mapping model shares the machine
        Engine.getEngine("PyTorch").setRandomSeed((int) config.seed());
        this.config = config;
        this.attributes = attributes;
        int size = config.regionSize();
        Block trunk;
        int features;
        if (MappingConfig.PIXELS.equals(config.encoder())) {
            trunk = RegionTrunks.pixels();
            features = RegionTrunks.pixelFeatureCount(size);
            scriptedEncoder = null;
        } else if (MappingConfig.CONV.equals(config.encoder())) {
            trunk = RegionTrunks.conv();
            features = RegionTrunks.convFeatureCount();
            scriptedEncoder = null;
        } else {
            scriptedEncoder = loadScript(Path.of(config.encoder()));
            trunk = Blocks.identityBlock();
            features = scriptedFeatureCount(size);
        }
        this.network = new MappingNetwork(trunk, features, attributes, config);
        this.model = Model.newInstance("villa-mapping", "PyTorch");
        model.setBlock(network);
        Shape[] shapes = inputShapes(features);
        // initialise before the Trainer exists: it keeps arrays it finds and only marks them for gradients
        network.initialize(model.getNDManager(), model.getDataType(), shapes);
        if (parameters != null) {
            // before the Trainer: its parameter store caches the arrays it finds on first use
            loadParameters(parameters);
        }
        this.optimizer = CheckpointableAdam.builder()
                .optLearningRateTracker(Tracker.fixed(config.learningRate()))
                .build();
        this.trainer = model.newTrainer(new DefaultTrainingConfig(new MappingLoss()).optOptimizer(optimizer));
        trainer.initialize(shapes);
        if (optimizerState != null) {
            try {
                optimizer.loadState(optimizerState, network.getParameters());
            } catch (IllegalArgumentException e) {
                close();
                throw new IllegalStateException(
                        "stored mapping optimizer state does not fit this model: " + e.getMessage(), e);
            }
        }
    }

    private Shape[] inputShapes(int features) {
        Shape region =
                scriptedEncoder == null ? new Shape(3, config.regionSize(), config.regionSize()) : new Shape(features);
        return new Shape[] {new Shape(2, 2).addAll(region), new Shape(2, 2)};
    }

    private static Model loadScript(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(
                    "region encoder is neither 'pixels', 'conv' nor a TorchScript file: " + file);
        }
        Path absolute = file.toAbsolutePath();
        String name = absolute.getFileName().toString();
        Model scripted = Model.newInstance("region-encoder", "PyTorch");
        try {
            scripted.load(absolute.getParent(), name.endsWith(".pt") ? name.substring(0, name.length() - 3) : name);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            scripted.close();
            String reason = e.getMessage() == null
                    ? e.getClass().getSimpleName()
                    : e.getMessage().lines().findFirst().orElse("");
            throw new IllegalArgumentException(
                    "not a loadable TorchScript region encoder: " + file + " (" + reason + ")", e);
        }
        return scripted;
    }

    private int scriptedFeatureCount(int size) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray out = encodeScripted(m.zeros(new Shape(1, 3, size, size)));
            if (out.getShape().dimension() != 2) {
                throw new IllegalArgumentException(
                        "a TorchScript region encoder must return (regions, features), got " + out.getShape());
            }
            return (int) out.getShape().get(1);
        }
    }

    private NDArray encodeScripted(NDArray pixels) {
        return scriptedEncoder
                .getBlock()
                .forward(new ParameterStore(pixels.getManager(), false), new NDList(pixels), false)
                .singletonOrThrow();
    }

    public int attributes() {
        return attributes;
    }

    /** One optimisation step on a batch; returns the loss. */
    public float trainStep(List<MappingExample> batch) {
        try (NDManager m = trainer.getManager().newSubManager()) {
            NDList inputs = inputs(m, batch);
            NDArray present = presence(m, batch);
            // the network ignores the labels: forward with them is forward without (DJL's AbstractBaseBlock)
            return TrainingSteps.step(trainer, inputs, new NDList(present));
        }
    }

    /** Region scores s(r, a) for each example: result[i][a][r]. */
    public float[][][] scores(List<MappingExample> batch) {
        try (NDManager m = trainer.getManager().newSubManager()) {
            NDArray s = trainer.evaluate(inputs(m, batch)).get(0); // (A, B, R)
            int b = batch.size();
            int r = (int) s.getShape().get(2);
            float[] flat = s.toFloatArray();
            float[][][] out = new float[b][attributes][];
            for (int i = 0; i < b; i++) {
                int regions = batch.get(i).regionCount();
                for (int a = 0; a < attributes; a++) {
                    out[i][a] = new float[regions];
                    System.arraycopy(flat, (a * b + i) * r, out[i][a], 0, regions);
                }
            }
            return out;
        }
    }

    private NDList inputs(NDManager m, List<MappingExample> batch) {
        int b = batch.size();
        int r = batch.stream().mapToInt(MappingExample::regionCount).max().orElse(1);
        int size = config.regionSize();
        int per = 3 * size * size;
        float[] pixels = new float[b * r * per];
        float[] mask = new float[b * r];
        for (int i = 0; i < b; i++) {
            List<byte[]> regions = batch.get(i).regionPixels();
            for (int j = 0; j < regions.size(); j++) {
                byte[] p = regions.get(j);
                if (p.length != per) {
                    throw new IllegalArgumentException(
                            "region pixels must be 3x" + size + "x" + size + ", got " + p.length + " values");
                }
                int offset = (i * r + j) * per;
                for (int k = 0; k < per; k++) {
                    pixels[offset + k] = LEVELS[p[k] & 0xff];
                }
                mask[i * r + j] = 1f;
            }
        }
        NDArray regionArray = m.create(pixels, new Shape(b, r, 3, size, size));
        if (scriptedEncoder != null) {
            // a TorchScript forward in inference mode returns inference tensors, which autograd refuses to save:
            // an ordinary copy goes into the trained graph
            NDArray features =
                    encodeScripted(regionArray.reshape(b * r, 3, size, size)).duplicate();
            regionArray = features.reshape(b, r, features.getShape().get(1));
        }
        return new NDList(regionArray, m.create(mask, new Shape(b, r)));
    }

    private NDArray presence(NDManager m, List<MappingExample> batch) {
        int b = batch.size();
        float[] p = new float[attributes * b];
        for (int i = 0; i < b; i++) {
            for (int a : batch.get(i).attributes()) {
                p[a * b + i] = 1f;
            }
        }
        return m.create(p, new Shape(attributes, b));
    }

    /** The trained parameters (heads and trunk; not the frozen TorchScript encoder), for Flink state. */
    public byte[] parameters() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            network.saveParameters(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Parameters and optimizer state: what {@link #restore} needs to go on training as this model would. */
    public ModelState state() {
        return new ModelState(parameters(), optimizer.saveState(network.getParameters()));
    }

    /** Each trained parameter's values by its name in the network, for tests that compare models. */
    @VisibleForTesting
    Map<String, float[]> parameterValues() {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (var entry : network.getParameters()) {
            out.put(entry.getKey(), entry.getValue().getArray().toFloatArray());
        }
        return out;
    }

    private void loadParameters(byte[] parameters) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(parameters))) {
            network.loadParameters(model.getNDManager(), in);
        } catch (IOException | MalformedModelException e) {
            throw new IllegalStateException("stored mapping parameters do not fit this model: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        trainer.close();
        model.close();
        if (scriptedEncoder != null) {
            scriptedEncoder.close();
        }
    }
}
