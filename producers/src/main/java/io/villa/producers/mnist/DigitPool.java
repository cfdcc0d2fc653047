package io.villa.producers.mnist;

/**
 * The MNIST digits one split may draw from: a list of indexes into one IDX image set. Digits are 28x28 grey bytes
 * (0 = background). Immutable; shared between threads.
 */
public final class DigitPool {

    private final IdxReader.IdxImages images;
    private final byte[] labels;
    private final int[] sources;

    /** The digits {@code sources[0], sources[1], ...} of {@code images}, in that order. */
    DigitPool(IdxReader.IdxImages images, byte[] labels, int[] sources) {
        if (sources.length == 0 || images.count() != labels.length) {
            throw new IllegalArgumentException("a digit pool needs digits with one label each");
        }
        for (int source : sources) {
            if (source < 0 || source >= images.count()) {
                throw new IllegalArgumentException("digit " + source + " is not in a set of " + images.count());
            }
        }
        this.images = images;
        this.labels = labels;
        this.sources = sources.clone();
    }

    public int size() {
        return sources.length;
    }

    public int rows() {
        return images.rows();
    }

    public int columns() {
        return images.columns();
    }

    /** The label (0..9) of the {@code i}-th digit of this pool. */
    public int label(int i) {
        return labels[sourceIndex(i)] & 0xFF;
    }

    /** The grey value (0..255) of pixel (row, column) of the {@code i}-th digit. */
    public int grey(int i, int row, int column) {
        return images.pixels()[sourceIndex(i) * images.pixelsPerImage() + row * images.columns() + column] & 0xFF;
    }

    /** The index of this digit in its MNIST file, to trace a generated image back to its sources. */
    public int sourceIndex(int i) {
        if (i < 0 || i >= sources.length) {
            throw new IndexOutOfBoundsException("digit " + i + " of a pool of " + sources.length);
        }
        return sources[i];
    }

    /** Share of each label 0..9 in this pool: the chance that a uniformly drawn digit shows it. */
    public double[] labelShares() {
        double[] shares = new double[10];
        for (int source : sources) {
            shares[labels[source] & 0xFF] += 1.0 / sources.length;
        }
        return shares;
    }
}
