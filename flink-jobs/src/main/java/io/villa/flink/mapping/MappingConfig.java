package io.villa.flink.mapping;

import static org.apache.flink.util.Preconditions.checkArgument;

import java.io.Serializable;

/**
 * Every knob of the mapping model and its online learner, in one place (defaults: the method in
 * docs/ARCHITECTURE.md where it says, else what learned DocMNIST best on two CPU cores; see BENCHMARKS.md).
 * Made with {@link #builder()} (every field has a default, {@code opt*}) or changed with {@link #toBuilder()};
 * each check names the field and the value it got.
 *
 * @param temperature    T in S(i,a) = max_r s(r,a) / T
 * @param epsilon        assignment margin: a goes to every r with s(r,a) > max_r s(r,a) - epsilon
 * @param headWidth      hidden units of each attribute's two-layer head f_a
 * @param embeddingDim   output size of f_a (and of the fixed unit vectors e_a)
 * @param learningRate   Adam learning rate
 * @param batchSize      images per contrastive batch
 * @param replaySize     bounded replay buffer of recent TRAIN images
 * @param passes         optimisation steps taken per {@code batchSize} newly arrived TRAIN images
 * @param warmupPairs    TRAIN images needed before the model may decompose anything
 * @param warmupSteps    optimisation steps run once warm-up data is there (before the first output)
 * @param regionSize     regions are resampled to regionSize x regionSize RGB (multiple of 4)
 * @param encoder        region encoder: "pixels" (the RGB pixels as they are), "conv" (a small CNN learned through
 *                       the loss), or a path to a TorchScript image encoder file (frozen)
 * @param cpuThreads     PyTorch intra-op threads (small: the machine is shared)
 * @param seed           seeds parameters, the fixed vectors e_a and replay sampling
 */
public record MappingConfig(
        float temperature,
        float epsilon,
        int headWidth,
        int embeddingDim,
        float learningRate,
        int batchSize,
        int replaySize,
        int passes,
        int warmupPairs,
        int warmupSteps,
        int regionSize,
        String encoder,
        int cpuThreads,
        long seed)
        implements Serializable {

    public static final String PIXELS = "pixels";
    public static final String CONV = "conv";

    /** Also checks what JSON (a published model's mapping.json) hands to the canonical constructor. */
    public MappingConfig {
        checkArgument(temperature > 0, "temperature must be > 0, got %s", temperature);
        checkArgument(epsilon >= 0, "epsilon must be >= 0, got %s", epsilon);
        checkArgument(headWidth >= 1, "headWidth must be >= 1, got %s", headWidth);
        checkArgument(embeddingDim >= 1, "embeddingDim must be >= 1, got %s", embeddingDim);
        checkArgument(learningRate > 0, "learningRate must be > 0, got %s", learningRate);
        checkArgument(batchSize >= 2, "batchSize must be >= 2, got %s", batchSize);
        checkArgument(replaySize >= batchSize, "replaySize must be >= batchSize (%s), got %s", batchSize, replaySize);
        checkArgument(passes >= 1, "passes must be >= 1, got %s", passes);
        checkArgument(warmupPairs >= 0, "warmupPairs must be >= 0, got %s", warmupPairs);
        checkArgument(warmupSteps >= 0, "warmupSteps must be >= 0, got %s", warmupSteps);
        checkArgument(
                regionSize >= 4 && regionSize % 4 == 0,
                "regionSize must be a multiple of 4 and >= 4, got %s",
                regionSize);
        checkArgument(
                encoder != null && !encoder.isBlank(), "encoder must be pixels, conv or a file, got '%s'", encoder);
        checkArgument(cpuThreads >= 1, "cpuThreads must be >= 1, got %s", cpuThreads);
    }

    public static MappingConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values, to change some of them. */
    public Builder toBuilder() {
        return new Builder()
                .optTemperature(temperature)
                .optEpsilon(epsilon)
                .optHeadWidth(headWidth)
                .optEmbeddingDim(embeddingDim)
                .optLearningRate(learningRate)
                .optBatchSize(batchSize)
                .optReplaySize(replaySize)
                .optPasses(passes)
                .optWarmup(warmupPairs, warmupSteps)
                .optRegionSize(regionSize)
                .optEncoder(encoder)
                .optCpuThreads(cpuThreads)
                .optSeed(seed);
    }

    public boolean builtInEncoder() {
        return PIXELS.equals(encoder) || CONV.equals(encoder);
    }

    /** Everything is optional ({@code opt*}); {@link #build} checks the values, naming the first bad field. */
    public static final class Builder {
        private float temperature = 0.07f;
        private float epsilon = 0.2f;
        private int headWidth = 128;
        private int embeddingDim = 32;
        private float learningRate = 4e-3f;
        private int batchSize = 64;
        private int replaySize = 2048;
        private int passes = 32;
        private int warmupPairs = 512;
        private int warmupSteps = 100;
        private int regionSize = 28;
        private String encoder = CONV;
        private int cpuThreads = 1;
        private long seed = 42L;

        private Builder() {}

        public Builder optTemperature(float t) {
            this.temperature = t;
            return this;
        }

        public Builder optEpsilon(float e) {
            this.epsilon = e;
            return this;
        }

        public Builder optHeadWidth(int width) {
            this.headWidth = width;
            return this;
        }

        public Builder optEmbeddingDim(int dim) {
            this.embeddingDim = dim;
            return this;
        }

        public Builder optLearningRate(float lr) {
            this.learningRate = lr;
            return this;
        }

        public Builder optBatchSize(int size) {
            this.batchSize = size;
            return this;
        }

        public Builder optReplaySize(int size) {
            this.replaySize = size;
            return this;
        }

        public Builder optPasses(int p) {
            this.passes = p;
            return this;
        }

        /** {@code pairs} TRAIN images before the first output, then {@code steps} optimisation steps on them. */
        public Builder optWarmup(int pairs, int steps) {
            this.warmupPairs = pairs;
            this.warmupSteps = steps;
            return this;
        }

        public Builder optRegionSize(int size) {
            this.regionSize = size;
            return this;
        }

        /** {@link #PIXELS}, {@link #CONV} or the path of a TorchScript image encoder. */
        public Builder optEncoder(String e) {
            this.encoder = e;
            return this;
        }

        public Builder optCpuThreads(int threads) {
            this.cpuThreads = threads;
            return this;
        }

        public Builder optSeed(long s) {
            this.seed = s;
            return this;
        }

        public MappingConfig build() {
            return new MappingConfig(
                    temperature,
                    epsilon,
                    headWidth,
                    embeddingDim,
                    learningRate,
                    batchSize,
                    replaySize,
                    passes,
                    warmupPairs,
                    warmupSteps,
                    regionSize,
                    encoder,
                    cpuThreads,
                    seed);
        }
    }
}
