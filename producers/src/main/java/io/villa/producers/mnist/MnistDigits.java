package io.villa.producers.mnist;

import java.nio.file.Path;

import io.villa.records.Split;

/**
 * The real MNIST digits, split into separate pools: the first 80% of MNIST-train (48,000 digits) for TRAIN, the last
 * 20% (12,000) for VAL, and MNIST-test (10,000) for TEST. The rule is fixed (no shuffling) so every run and every
 * machine agrees on which digit belongs to which split.
 */
public final class MnistDigits {

    /** Share of MNIST-train held out as the validation pool (20%). */
    public static final double VALIDATION_SHARE = 0.2;

    private final DigitPool train;
    private final DigitPool validation;
    private final DigitPool test;

    MnistDigits(IdxReader.IdxImages trainImages, byte[] trainLabels, IdxReader.IdxImages testImages, byte[] testLabels) {
        check(trainImages, trainLabels, "train");
        check(testImages, testLabels, "test");
        int validationSize = (int) Math.round(trainImages.count() * VALIDATION_SHARE);
        int trainSize = trainImages.count() - validationSize;
        this.train = new DigitPool(trainImages, trainLabels, 0, trainSize);
        this.validation = new DigitPool(trainImages, trainLabels, trainSize, validationSize);
        this.test = new DigitPool(testImages, testLabels, 0, testImages.count());
    }

    /** Loads the digits from a directory holding the four IDX files (see {@link MnistCache}). */
    public static MnistDigits load(Path dir) {
        return new MnistDigits(
                IdxReader.readImages(dir.resolve(MnistCache.TRAIN_IMAGES)),
                IdxReader.readLabels(dir.resolve(MnistCache.TRAIN_LABELS)),
                IdxReader.readImages(dir.resolve(MnistCache.TEST_IMAGES)),
                IdxReader.readLabels(dir.resolve(MnistCache.TEST_LABELS)));
    }

    /** Fetches the files into the cache when needed, verifies them, and loads them. */
    public static MnistDigits fromCache(MnistCache cache) {
        return load(cache.ensure());
    }

    /** The default cache ({@value MnistCache#ENV_DIR} or ~/.cache/villa/mnist), fetched when needed. */
    public static MnistDigits fromDefaultCache() {
        return fromCache(MnistCache.resolve(null));
    }

    public DigitPool pool(Split split) {
        return switch (split) {
            case TRAIN -> train;
            case VAL -> validation;
            case TEST -> test;
        };
    }

    private static void check(IdxReader.IdxImages images, byte[] labels, String name) {
        if (images.count() != labels.length) {
            throw new IdxFormatException("MNIST " + name + ": " + images.count() + " images but " + labels.length + " labels");
        }
        if (images.rows() != 28 || images.columns() != 28) {
            throw new IdxFormatException("MNIST " + name + ": digits are " + images.rows() + "x" + images.columns() + ", expected 28x28");
        }
    }
}
