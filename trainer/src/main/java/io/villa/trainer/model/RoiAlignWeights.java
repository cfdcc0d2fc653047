package io.villa.trainer.model;

import io.villa.trainer.image.RegionBox;

/**
 * A region's pooled feature as weights over the feature-map cells. RoIAlign (torchvision's {@code roi_align} with
 * {@code aligned=true}, {@value #BINS}x{@value #BINS} bins, a fixed {@value #SAMPLES_PER_BIN}x{@value #SAMPLES_PER_BIN}
 * sampling grid per bin) followed by an average over the bins is a linear map of the feature map: every sample point
 * is a bilinear mix of four cells, and the result is the mean over all sample points. So it is a weight per cell,
 * computed here in plain Java, and the tower applies it with one batched matmul.
 *
 * <p>The sample points form a grid, and bilinear weights (including torchvision's zero for a point more than one cell
 * outside the map) factor into a row part times a column part: the weights are the outer product of two 1-D
 * weight vectors, one per axis.
 */
public final class RoiAlignWeights {

    /** Output bins per axis of the RoIAlign (as a 7x7 box head), averaged afterwards. */
    public static final int BINS = 7;
    /** Sample points per bin and axis (sampling_ratio), fixed rather than adapted to the box size. */
    public static final int SAMPLES_PER_BIN = 2;

    private RoiAlignWeights() {
    }

    /**
     * @param box       in the image's pixels
     * @param imageSide the image is {@code imageSide x imageSide}
     * @return {@code mapHeight * mapWidth} weights, row-major
     */
    public static float[] of(RegionBox box, int imageSide, int mapHeight, int mapWidth) {
        double[] rows = axis(box.y(), box.y() + box.height(), (double) mapHeight / imageSide, mapHeight);
        double[] columns = axis(box.x(), box.x() + box.width(), (double) mapWidth / imageSide, mapWidth);
        float[] out = new float[mapHeight * mapWidth];
        for (int i = 0; i < mapHeight; i++) {
            for (int j = 0; j < mapWidth; j++) {
                out[i * mapWidth + j] = (float) (rows[i] * columns[j]);
            }
        }
        return out;
    }

    /**
     * One axis: the mean, over the {@code BINS * SAMPLES_PER_BIN} sample points of {@code [start, end)} (pixels),
     * of each point's linear-interpolation weights on the cells.
     *
     * @param scale feature-map cells per pixel (torchvision's spatial_scale)
     */
    static double[] axis(double start, double end, double scale, int cells) {
        double from = start * scale - 0.5; // aligned=true: a pixel's centre is at +0.5, a cell's at +0.5
        double size = (end - start) * scale;
        int n = BINS * SAMPLES_PER_BIN;
        double[] w = new double[cells];
        for (int k = 0; k < n; k++) {
            addPoint(w, from + (k + 0.5) * size / n, 1.0 / n);
        }
        return w;
    }

    /** torchvision's bilinear_interpolate along one axis: zero beyond one cell outside, clamped at the borders. */
    private static void addPoint(double[] w, double p, double weight) {
        int cells = w.length;
        if (p < -1.0 || p > cells) {
            return;
        }
        double q = Math.max(p, 0);
        int low = (int) q;
        int high;
        if (low >= cells - 1) {
            low = cells - 1;
            high = low;
            q = low;
        } else {
            high = low + 1;
        }
        double frac = q - low;
        w[low] += (1 - frac) * weight;
        w[high] += frac * weight;
    }
}
