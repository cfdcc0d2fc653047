package io.villa.trainer.model;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.flink.annotation.VisibleForTesting;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.util.Pair;
import io.villa.djl.EngineSetup;
import io.villa.djl.TrainingSteps;
import io.villa.trainer.config.TrainerConfig;
import io.villa.trainer.data.Example;
import io.villa.trainer.device.Devices;
import io.villa.trainer.image.RegionBatch;
import io.villa.trainer.image.RegionBox;
import io.villa.trainer.image.WholeImage;
import io.villa.trainer.text.TokenBatch;
import io.villa.trainer.text.TokenShape;
import io.villa.trainer.text.WordTokenizer;

/**
 * The trainable VLM as one object: DJL {@link Model} holding a {@link DualEncoder}, a DJL
 * {@link Trainer} with {@link ContrastiveLoss} and {@link CheckpointableAdam}, and our tokenizer.
 * Not thread-safe: one training loop owns it.
 */
public final class ContrastiveModel implements AutoCloseable {

    static final String PARAMS_FILE = "model.params";
    static final String OPTIMIZER_FILE = "optimizer.bin";
    static final String SETTINGS_FILE = "settings.properties";
    /** Most cells of the padded token tensor of one embedding chunk: 256 texts of 16 sentences x 64 words. */
    static final long EMBED_TOKEN_CELLS = 256L * 16 * 64;

    private final TrainerConfig config;
    private final Device device;
    private final WordTokenizer tokenizer;
    private final Model model;
    private final DualEncoder encoder;
    private final CheckpointableAdam optimizer;
    private final Trainer trainer;
    private final List<Model> scriptedTowers = new ArrayList<>();
    private final int mapHeight;
    private final int mapWidth;

    private ContrastiveModel(TrainerConfig config, int cpuThreads, Path checkpoint) throws IOException {
        EngineSetup.start(cpuThreads);
        EngineSetup.seed(config.seed());
        this.config = config;
        this.device = Devices.choose(config.device(), cpuThreads).device();
        this.tokenizer = new WordTokenizer(config.hashBuckets());
        Block imageBackbone = config.imageTowerScript() == null
                ? ConvBackbone.build()
                : loadScript(config.imageTowerScript(), "image-tower");
        Block textBackbone = config.textTowerScript() == null
                ? new BagOfWordsBackbone(tokenizer.idCount(), config.tokenDim())
                : loadScript(config.textTowerScript(), "text-tower");
        ImageTower imageTower = new ImageTower(imageBackbone, config.embeddingDim());
        this.encoder = new DualEncoder(
                imageTower,
                Tower.of(textBackbone, config.embeddingDim()),
                config.temperature(),
                config.learnableTemperature());
        this.model = Model.newInstance("villa-vlm", device, "PyTorch");
        model.setBlock(encoder);
        this.optimizer = new CheckpointableAdam(config.learningRate());
        // parameters are initialised (and a checkpoint's loaded) before the Trainer exists: the Trainer's
        // parameter store takes the arrays it finds at construction
        Shape map = imageTower.featureMap(config.imageSize());
        if (map.dimension() != 4) {
            throw new IOException("the image backbone returns " + map + " for one image; it must return a feature map"
                    + " (1, channels, h, w) (see trainer/README.md)");
        }
        this.mapHeight = (int) map.get(2);
        this.mapWidth = (int) map.get(3);
        Shape[] shapes = inputShapes();
        encoder.initialize(model.getNDManager(), model.getDataType(), shapes);
        if (checkpoint != null) {
            readState(checkpoint);
        }
        DefaultTrainingConfig trainingConfig = new DefaultTrainingConfig(new ContrastiveLoss())
                .optOptimizer(optimizer)
                .optDevices(new Device[] {device});
        this.trainer = model.newTrainer(trainingConfig);
        // keeps loaded arrays (a Parameter is only initialised when it has none) and marks them for gradients
        trainer.initialize(shapes);
    }

    /** Two regions of one image, two one-word texts: shapes to initialise with. */
    private Shape[] inputShapes() {
        int side = config.imageSize();
        return new Shape[] {
            new Shape(1, 3, side, side), new Shape(2, (long) mapHeight * mapWidth), new Shape(2), new Shape(2, 1, 1)
        };
    }

    private Block loadScript(Path file, String name) throws IOException {
        Model loaded = TorchScriptBackbone.load(file, device, name);
        scriptedTowers.add(loaded);
        return TorchScriptBackbone.blockOf(loaded);
    }

    /** A freshly initialised model. */
    public static ContrastiveModel create(TrainerConfig config, int cpuThreads) throws IOException {
        return new ContrastiveModel(config, cpuThreads, null);
    }

    /** Rebuilds the model a checkpoint directory describes and loads its parameters and optimizer state. */
    public static ContrastiveModel load(Path dir, String deviceOverride, int cpuThreads) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve(SETTINGS_FILE))) {
            p.load(in);
        }
        TrainerConfig config = TrainerConfig.fromProperties(p).toBuilder()
                .optDevice(deviceOverride)
                .build();
        return new ContrastiveModel(config, cpuThreads, dir);
    }

    public TrainerConfig config() {
        return config;
    }

    public Device device() {
        return device;
    }

    public WordTokenizer tokenizer() {
        return tokenizer;
    }

    public CheckpointableAdam optimizer() {
        return optimizer;
    }

    /** One optimisation step on a batch (>= 2 examples); returns the loss. */
    public float trainStep(List<Example> batch) {
        if (batch.size() < 2) {
            throw new IllegalArgumentException("a contrastive batch needs at least 2 examples, got " + batch.size());
        }
        try (NDManager m = trainer.getManager().newSubManager()) {
            NDList inputs = inputs(
                    m,
                    batch.stream().map(Example::region).toList(),
                    batch.stream().map(Example::text).toList());
            NDList labels = new NDList(m.create(textIds(batch)));
            return TrainingSteps.step(trainer, inputs, labels);
        }
    }

    /**
     * Runs one example through both towers, as a batch of itself twice, learning nothing: fails the way a training
     * step would fail on this example's own account (how a failed batch finds its poison record).
     */
    public void probe(Example example) {
        try (NDManager m = trainer.getManager().newSubManager()) {
            trainer.evaluate(
                    inputs(m, List.of(example.region(), example.region()), List.of(example.text(), example.text())));
        }
    }

    /** Same text -> same id, so the loss can mask identical texts out of each other's negatives. */
    static long[] textIds(List<Example> batch) {
        Map<String, Long> ids = new HashMap<>();
        long[] out = new long[batch.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ids.computeIfAbsent(batch.get(i).text().trim(), k -> (long) ids.size());
        }
        return out;
    }

    private NDList inputs(NDManager m, List<RegionBatch.Region> regions, List<String> texts) {
        NDList out = new RegionBatch(regions, config.imageSize(), mapHeight, mapWidth).toArrays(m);
        out.add(TokenBatch.encode(m, tokenizer, texts));
        return out;
    }

    /** Feature-map rows and columns of one whole image (the grid the RoIAlign weights cover). */
    public int[] featureMapSize() {
        return new int[] {mapHeight, mapWidth};
    }

    /** L2-normalised region embeddings (inference mode), in batches; each image runs through the backbone once a batch. */
    public float[][] embedRegions(List<RegionBatch.Region> regions) {
        return embed(
                regions.size(),
                (m, from, to) -> trainer.evaluate(inputs(m, regions.subList(from, to), List.of("")))
                        .get(0));
    }

    /** L2-normalised text embeddings (inference mode), in batches. */
    public float[][] embedTexts(List<String> texts) {
        int side = config.imageSize();
        RegionBatch.Region blank =
                new RegionBatch.Region(WholeImage.ofSide(new byte[side * side * 3], side), RegionBox.whole(side));
        return embed(
                texts.size(),
                (m, from, to) -> trainer.evaluate(inputs(m, List.of(blank), texts.subList(from, to)))
                        .get(1),
                i -> TokenShape.of(tokenizer.encode(texts.get(i))));
    }

    private interface Chunk {
        NDArray run(NDManager m, int from, int to);
    }

    private float[][] embed(int n, Chunk chunk) {
        return embed(n, chunk, i -> new TokenShape(1, 1));
    }

    /**
     * In chunks of up to 256, each ended early where its padded token tensor would pass {@link #EMBED_TOKEN_CELLS}:
     * held-out texts within the record limits can still pad each other far (see {@code TokenBudget}).
     */
    private float[][] embed(int n, Chunk chunk, java.util.function.IntFunction<TokenShape> shapeOf) {
        int chunkSize = 256;
        float[][] out = new float[n][];
        int to;
        for (int from = 0; from < n; from = to) {
            List<TokenShape> shapes = new ArrayList<>();
            shapes.add(shapeOf.apply(from));
            to = from + 1;
            while (to < n && to - from < chunkSize) {
                shapes.add(shapeOf.apply(to));
                if (TokenShape.paddedCells(shapes) > EMBED_TOKEN_CELLS) {
                    break;
                }
                to++;
            }
            try (NDManager m = trainer.getManager().newSubManager()) {
                NDArray e = chunk.run(m, from, to);
                int dim = (int) e.getShape().get(1);
                float[] flat = e.toFloatArray();
                for (int i = 0; i < to - from; i++) {
                    out[from + i] = java.util.Arrays.copyOfRange(flat, i * dim, (i + 1) * dim);
                }
            }
        }
        return out;
    }

    /** Writes parameters, optimizer state and settings into {@code dir} (which must exist). */
    public void writeState(Path dir) throws IOException {
        try (DataOutputStream out = dataOut(dir.resolve(PARAMS_FILE))) {
            encoder.saveParameters(out);
        }
        try (DataOutputStream out = dataOut(dir.resolve(OPTIMIZER_FILE))) {
            optimizer.save(out, pathsById());
        }
        try (OutputStream out = Files.newOutputStream(dir.resolve(SETTINGS_FILE))) {
            config.toProperties().store(out, "ViLLA trainer model settings");
        }
    }

    private void readState(Path dir) throws IOException {
        try (DataInputStream in = dataIn(dir.resolve(PARAMS_FILE))) {
            encoder.loadParameters(model.getNDManager(), in);
        } catch (MalformedModelException e) {
            throw new IOException("checkpoint parameters do not fit this model: " + e.getMessage(), e);
        }
        Path opt = dir.resolve(OPTIMIZER_FILE);
        if (Files.exists(opt)) {
            Map<String, String> idByPath = new HashMap<>();
            pathsById().forEach((id, path) -> idByPath.put(path, id));
            try (DataInputStream in = dataIn(opt)) {
                optimizer.load(in, idByPath, model.getNDManager());
            }
        }
    }

    /** Run-time parameter id -> its stable path in the block tree. */
    public Map<String, String> pathsById() {
        Map<String, String> out = new HashMap<>();
        for (Pair<String, Parameter> p : encoder.getParameters()) {
            out.put(p.getValue().getId(), p.getKey());
        }
        return out;
    }

    /** Copies of all parameter values by path, to compare two models. */
    @VisibleForTesting
    public Map<String, float[]> parameterValues() {
        Map<String, float[]> out = new HashMap<>();
        for (Pair<String, Parameter> p : encoder.getParameters()) {
            out.put(p.getKey(), p.getValue().getArray().toFloatArray());
        }
        return out;
    }

    private static DataOutputStream dataOut(Path file) throws IOException {
        return new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)));
    }

    private static DataInputStream dataIn(Path file) throws IOException {
        return new DataInputStream(new BufferedInputStream(Files.newInputStream(file)));
    }

    @Override
    public void close() {
        trainer.close();
        model.close();
        scriptedTowers.forEach(Model::close);
    }
}
