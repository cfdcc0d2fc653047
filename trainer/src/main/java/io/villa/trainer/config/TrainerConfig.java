package io.villa.trainer.config;

import static io.villa.trainer.config.ConfigChecks.checkArgument;

import java.nio.file.Path;
import java.util.Properties;

/**
 * Every knob of the trainer in one place. Immutable: made with {@link #builder()} (every field has a default,
 * {@code opt*}) and changed with {@link #toBuilder()}; each check names the field and the value it got.
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
        checkArgument(mode != null, "mode must be villa or clip, got null");
        checkArgument(imageSize >= 8, "imageSize must be >= 8, got %s", imageSize);
        checkArgument(embeddingDim >= 2, "embeddingDim must be >= 2, got %s", embeddingDim);
        checkArgument(tokenDim >= 2, "tokenDim must be >= 2, got %s", tokenDim);
        checkArgument(hashBuckets >= 1, "hashBuckets must be >= 1, got %s", hashBuckets);
        checkArgument(batchSize >= 2, "batchSize must be >= 2, got %s", batchSize);
        checkArgument(learningRate > 0, "learningRate must be > 0, got %s", learningRate);
        checkArgument(temperature > 0, "temperature must be > 0, got %s", temperature);
    }

    public static TrainerConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values, to change some of them. */
    public Builder toBuilder() {
        return new Builder()
                .optMode(mode)
                .optImageSize(imageSize)
                .optEmbeddingDim(embeddingDim)
                .optTokenDim(tokenDim)
                .optHashBuckets(hashBuckets)
                .optBatchSize(batchSize)
                .optLearningRate(learningRate)
                .optTemperature(temperature)
                .optLearnableTemperature(learnableTemperature)
                .optSeed(seed)
                .optDevice(device)
                .optImageTowerScript(imageTowerScript)
                .optTextTowerScript(textTowerScript);
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
        return builder()
                .optMode(TrainingMode.parse(p.getProperty("mode")))
                .optImageSize(Integer.parseInt(p.getProperty("imageSize")))
                .optEmbeddingDim(Integer.parseInt(p.getProperty("embeddingDim")))
                .optTokenDim(Integer.parseInt(p.getProperty("tokenDim")))
                .optHashBuckets(Integer.parseInt(p.getProperty("hashBuckets")))
                .optBatchSize(Integer.parseInt(p.getProperty("batchSize")))
                .optLearningRate(Float.parseFloat(p.getProperty("learningRate")))
                .optTemperature(Float.parseFloat(p.getProperty("temperature")))
                .optLearnableTemperature(Boolean.parseBoolean(p.getProperty("learnableTemperature")))
                .optSeed(Long.parseLong(p.getProperty("seed")))
                .optImageTowerScript(
                        p.containsKey("imageTowerScript") ? Path.of(p.getProperty("imageTowerScript")) : null)
                .optTextTowerScript(p.containsKey("textTowerScript") ? Path.of(p.getProperty("textTowerScript")) : null)
                .build();
    }

    /** Everything is optional ({@code opt*}); {@link #build} checks the values, naming the first bad field. */
    public static final class Builder {
        private TrainingMode mode = TrainingMode.VILLA;
        private int imageSize = 84;
        private int embeddingDim = 64;
        private int tokenDim = 64;
        private int hashBuckets = 1024;
        private int batchSize = 64;
        private float learningRate = 2e-3f;
        private float temperature = 0.07f;
        private boolean learnableTemperature = true;
        private long seed = 42L;
        private String device;
        private Path imageTowerScript;
        private Path textTowerScript;

        private Builder() {}

        public Builder optMode(TrainingMode m) {
            this.mode = m;
            return this;
        }

        public Builder optImageSize(int size) {
            this.imageSize = size;
            return this;
        }

        public Builder optEmbeddingDim(int dim) {
            this.embeddingDim = dim;
            return this;
        }

        public Builder optTokenDim(int dim) {
            this.tokenDim = dim;
            return this;
        }

        public Builder optHashBuckets(int buckets) {
            this.hashBuckets = buckets;
            return this;
        }

        public Builder optBatchSize(int size) {
            this.batchSize = size;
            return this;
        }

        public Builder optLearningRate(float lr) {
            this.learningRate = lr;
            return this;
        }

        /** The initial temperature; learned unless {@link #optLearnableTemperature} turns that off. */
        public Builder optTemperature(float t) {
            this.temperature = t;
            return this;
        }

        public Builder optLearnableTemperature(boolean learnable) {
            this.learnableTemperature = learnable;
            return this;
        }

        public Builder optSeed(long s) {
            this.seed = s;
            return this;
        }

        /** "cpu", "gpu", "gpu:N", or null (the default) for a GPU when DJL finds one. */
        public Builder optDevice(String d) {
            this.device = d;
            return this;
        }

        /** A TorchScript image backbone instead of the built-in CNN; null for the built-in one. */
        public Builder optImageTowerScript(Path script) {
            this.imageTowerScript = script;
            return this;
        }

        /** A TorchScript text backbone instead of the built-in one; null for the built-in one. */
        public Builder optTextTowerScript(Path script) {
            this.textTowerScript = script;
            return this;
        }

        public TrainerConfig build() {
            return new TrainerConfig(
                    mode,
                    imageSize,
                    embeddingDim,
                    tokenDim,
                    hashBuckets,
                    batchSize,
                    learningRate,
                    temperature,
                    learnableTemperature,
                    seed,
                    device,
                    imageTowerScript,
                    textTowerScript);
        }
    }
}
