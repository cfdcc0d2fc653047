package io.villa.trainer.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Properties;

/**
 * Every knob of the trainer in one place. Immutable; {@code with*} methods return a changed copy.
 * The model-shaping part is stored in each checkpoint ({@link #toProperties}) so a checkpoint can be
 * rebuilt without the original command line.
 *
 * @param mode               which records to learn from
 * @param imageSize          side of the whole image the image tower takes (84 = DocMNIST's native size); an image of
 *                           another size is resized to it, its boxes scaled with it
 * @param embeddingDim       size of the joint embedding space
 * @param tokenDim           size of the word embeddings of the text tower
 * @param hashBuckets        extra token ids for words outside the built-in vocabulary (hashed)
 * @param batchSize          examples per training step
 * @param learningRate       Adam learning rate
 * @param temperature        initial (or fixed) softmax temperature of the InfoNCE loss
 * @param learnableTemperature whether the temperature is learned, as in CLIP
 * @param seed               seeds parameter initialisation and shuffling
 * @param device             "cpu", "gpu", "gpu:1", or null for a GPU when DJL finds one
 * @param imageTowerScript   a TorchScript image backbone (returning a feature map) instead of the built-in CNN, or null
 * @param textTowerScript    a TorchScript text backbone to use instead of the built-in one, or null
 */
public record TrainerConfig(
        TrainingMode mode,
        int imageSize,
        int embeddingDim,
        int tokenDim,
        int hashBuckets,
        int batchSize,
        float learningRate,
        float temperature,
        boolean learnableTemperature,
        long seed,
        String device,
        Path imageTowerScript,
        Path textTowerScript) {

    public TrainerConfig {
        Objects.requireNonNull(mode, "mode");
        if (imageSize < 8 || embeddingDim < 2 || tokenDim < 2 || hashBuckets < 1 || batchSize < 2) {
            throw new IllegalArgumentException("imageSize >= 8, dims >= 2, hashBuckets >= 1 and batchSize >= 2 are required");
        }
        if (!(learningRate > 0) || !(temperature > 0)) {
            throw new IllegalArgumentException("learningRate and temperature must be positive");
        }
    }

    public static TrainerConfig defaults() {
        return new TrainerConfig(TrainingMode.VILLA, 84, 64, 64, 1024, 64, 2e-3f, 0.07f, true, 42L, null, null, null);
    }

    public TrainerConfig withMode(TrainingMode m) {
        return new TrainerConfig(m, imageSize, embeddingDim, tokenDim, hashBuckets, batchSize, learningRate, temperature,
                learnableTemperature, seed, device, imageTowerScript, textTowerScript);
    }

    public TrainerConfig withBatchSize(int b) {
        return new TrainerConfig(mode, imageSize, embeddingDim, tokenDim, hashBuckets, b, learningRate, temperature,
                learnableTemperature, seed, device, imageTowerScript, textTowerScript);
    }

    public TrainerConfig withLearningRate(float lr) {
        return new TrainerConfig(mode, imageSize, embeddingDim, tokenDim, hashBuckets, batchSize, lr, temperature,
                learnableTemperature, seed, device, imageTowerScript, textTowerScript);
    }

    public TrainerConfig withTemperature(float t, boolean learnable) {
        return new TrainerConfig(mode, imageSize, embeddingDim, tokenDim, hashBuckets, batchSize, learningRate, t,
                learnable, seed, device, imageTowerScript, textTowerScript);
    }

    public TrainerConfig withSeed(long s) {
        return new TrainerConfig(mode, imageSize, embeddingDim, tokenDim, hashBuckets, batchSize, learningRate, temperature,
                learnableTemperature, s, device, imageTowerScript, textTowerScript);
    }

    public TrainerConfig withDevice(String d) {
        return new TrainerConfig(mode, imageSize, embeddingDim, tokenDim, hashBuckets, batchSize, learningRate, temperature,
                learnableTemperature, seed, d, imageTowerScript, textTowerScript);
    }

    public TrainerConfig withShape(int imgSize, int embDim, int tokDim) {
        return new TrainerConfig(mode, imgSize, embDim, tokDim, hashBuckets, batchSize, learningRate, temperature,
                learnableTemperature, seed, device, imageTowerScript, textTowerScript);
    }

    public TrainerConfig withTowerScripts(Path image, Path text) {
        return new TrainerConfig(mode, imageSize, embeddingDim, tokenDim, hashBuckets, batchSize, learningRate, temperature,
                learnableTemperature, seed, device, image, text);
    }

    /** Stored in every checkpoint. */
    public Properties toProperties() {
        Properties p = new Properties();
        p.setProperty("mode", mode.name());
        p.setProperty("imageSize", Integer.toString(imageSize));
        p.setProperty("embeddingDim", Integer.toString(embeddingDim));
        p.setProperty("tokenDim", Integer.toString(tokenDim));
        p.setProperty("hashBuckets", Integer.toString(hashBuckets));
        p.setProperty("batchSize", Integer.toString(batchSize));
        p.setProperty("learningRate", Float.toString(learningRate));
        p.setProperty("temperature", Float.toString(temperature));
        p.setProperty("learnableTemperature", Boolean.toString(learnableTemperature));
        p.setProperty("seed", Long.toString(seed));
        if (imageTowerScript != null) {
            p.setProperty("imageTowerScript", imageTowerScript.toString());
        }
        if (textTowerScript != null) {
            p.setProperty("textTowerScript", textTowerScript.toString());
        }
        return p;
    }

    /** Reads what {@link #toProperties} wrote; the device is not stored (a checkpoint moves between machines). */
    public static TrainerConfig fromProperties(Properties p) {
        return new TrainerConfig(
                TrainingMode.parse(p.getProperty("mode")),
                Integer.parseInt(p.getProperty("imageSize")),
                Integer.parseInt(p.getProperty("embeddingDim")),
                Integer.parseInt(p.getProperty("tokenDim")),
                Integer.parseInt(p.getProperty("hashBuckets")),
                Integer.parseInt(p.getProperty("batchSize")),
                Float.parseFloat(p.getProperty("learningRate")),
                Float.parseFloat(p.getProperty("temperature")),
                Boolean.parseBoolean(p.getProperty("learnableTemperature")),
                Long.parseLong(p.getProperty("seed")),
                null,
                p.containsKey("imageTowerScript") ? Path.of(p.getProperty("imageTowerScript")) : null,
                p.containsKey("textTowerScript") ? Path.of(p.getProperty("textTowerScript")) : null);
    }
}
