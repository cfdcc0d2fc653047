package io.villa.producers.mnist;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The real MNIST digits, split into separate pools as the reference generator does ({@code load_mnist_data}): a
 * seeded shuffle of MNIST-train's 60,000 indexes, whose first 20% (12,000 digits) are the VAL pool and the rest
 * (48,000) the TRAIN pool; MNIST-test (10,000) is the TEST pool. The same seed gives the same pools on every machine.
 * Loading reads the files once; {@link #pools} only shuffles indexes.
 */
public final class MnistDigits {

    /** Share of MNIST-train held out as the validation pool (20%). */
    public static final double VALIDATION_SHARE = 0.2;

    private final IdxReader.IdxImages trainImages;
    private final byte[] trainLabels;
    private final DigitPool test;

    MnistDigits(IdxReader.IdxImages trainImages, byte[] trainLabels, IdxReader.IdxImages testImages, byte[] testLabels) {
        check(trainImages, trainLabels, "train");
        check(testImages, testLabels, "test");
        this.trainImages = trainImages;
        this.trainLabels = trainLabels;
        this.test = new DigitPool(testImages, testLabels, IntStream.range(0, testImages.count()).toArray());
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

    /** The pools of a run with this seed: MNIST-train shuffled by the seed, 20% VAL, 80% TRAIN; MNIST-test as TEST. */
    public DigitPools pools(long seed) {
        int[] order = IntStream.range(0, trainImages.count()).toArray();
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = order.length - 1; i > 0; i--) { // Fisher-Yates
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        int validationSize = (int) (order.length * VALIDATION_SHARE); // truncated, as the reference's int(0.2 * n)
        return new DigitPools(
                new DigitPool(trainImages, trainLabels, Arrays.copyOfRange(order, validationSize, order.length)),
                new DigitPool(trainImages, trainLabels, Arrays.copyOfRange(order, 0, validationSize)),
                test);
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
