package io.villa.flink.mapping;

import java.io.Serializable;

/**
 * Every knob of the mapping model and its online learner, in one place (defaults: the method in
 * docs/ARCHITECTURE.md where it says, else what learned DocMNIST best on two CPU cores; see BENCHMARKS.md).
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
public record MappingConfig(float temperature, float epsilon, int headWidth, int embeddingDim, float learningRate,
                            int batchSize, int replaySize, int passes, int warmupPairs, int warmupSteps,
                            int regionSize, String encoder, int cpuThreads, long seed) implements Serializable {

    public static final String PIXELS = "pixels";
    public static final String CONV = "conv";

    public MappingConfig {
        if (temperature <= 0 || epsilon < 0 || headWidth < 1 || embeddingDim < 1 || learningRate <= 0
                || batchSize < 2 || replaySize < batchSize || passes < 1 || warmupPairs < 0 || warmupSteps < 0
                || regionSize < 4 || regionSize % 4 != 0 || encoder == null || encoder.isBlank() || cpuThreads < 1) {
            throw new IllegalArgumentException("invalid mapping configuration: " + this);
        }
    }

    public static MappingConfig defaults() {
        return new MappingConfig(0.07f, 0.2f, 128, 32, 4e-3f, 64, 2048, 32, 512, 100, 28, CONV, 1, 42L);
    }

    public boolean builtInEncoder() {
        return PIXELS.equals(encoder) || CONV.equals(encoder);
    }

    public MappingConfig withEncoder(String e) {
        return new MappingConfig(temperature, epsilon, headWidth, embeddingDim, learningRate, batchSize, replaySize,
                passes, warmupPairs, warmupSteps, regionSize, e, cpuThreads, seed);
    }

    public MappingConfig withWarmup(int pairs, int steps) {
        return new MappingConfig(temperature, epsilon, headWidth, embeddingDim, learningRate, batchSize, replaySize,
                passes, pairs, steps, regionSize, encoder, cpuThreads, seed);
    }

    public MappingConfig withPasses(int p) {
        return new MappingConfig(temperature, epsilon, headWidth, embeddingDim, learningRate, batchSize, replaySize,
                p, warmupPairs, warmupSteps, regionSize, encoder, cpuThreads, seed);
    }

    public MappingConfig withBatchSize(int b) {
        return new MappingConfig(temperature, epsilon, headWidth, embeddingDim, learningRate, b, Math.max(replaySize, b),
                passes, warmupPairs, warmupSteps, regionSize, encoder, cpuThreads, seed);
    }

    public MappingConfig withCpuThreads(int t) {
        return new MappingConfig(temperature, epsilon, headWidth, embeddingDim, learningRate, batchSize, replaySize,
                passes, warmupPairs, warmupSteps, regionSize, encoder, t, seed);
    }

    public MappingConfig withLearningRate(float lr) {
        return new MappingConfig(temperature, epsilon, headWidth, embeddingDim, lr, batchSize, replaySize,
                passes, warmupPairs, warmupSteps, regionSize, encoder, cpuThreads, seed);
    }
}
