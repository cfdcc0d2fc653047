package io.villa.producers.mnist;

/**
 * The MNIST digits one split may draw from: a contiguous range of one IDX image set. Digits are 28x28 grey
 * bytes (0 = background). Immutable; shared between threads.
 */
public final class DigitPool {

    private final IdxReader.IdxImages images;
    private final byte[] labels;
    private final int first;
    private final int size;

    DigitPool(IdxReader.IdxImages images, byte[] labels, int first, int size) {
        if (first < 0 || size <= 0 || first + size > images.count() || images.count() != labels.length) {
            throw new IllegalArgumentException("bad digit pool range " + first + "+" + size + " of " + images.count());
        }
        this.images = images;
        this.labels = labels;
        this.first = first;
        this.size = size;
    }

    public int size() {
        return size;
    }

    public int rows() {
        return images.rows();
    }

    public int columns() {
        return images.columns();
    }

    /** The label (0..9) of the {@code i}-th digit of this pool. */
    public int label(int i) {
        return labels[first + check(i)] & 0xFF;
    }

    /** The grey value (0..255) of pixel (row, column) of the {@code i}-th digit. */
    public int grey(int i, int row, int column) {
        return images.pixels()[(first + check(i)) * images.pixelsPerImage() + row * images.columns() + column] & 0xFF;
    }

    /** The index of this digit in its MNIST file, to trace a generated image back to its sources. */
    public int sourceIndex(int i) {
        return first + check(i);
    }

    private int check(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("digit " + i + " of a pool of " + size);
        }
        return i;
    }
}
