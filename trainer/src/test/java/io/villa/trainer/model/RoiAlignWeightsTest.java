package io.villa.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

import io.villa.trainer.image.RegionBox;

/**
 * RoIAlign weights against values worked out by hand from torchvision's roi_align (aligned=true) with 7 bins and 2
 * samples per bin: 14 sample points per axis at {@code from + (k + 0.5) * size / 14}, where {@code from = x1 * scale - 0.5}
 * and {@code size = (x2 - x1) * scale}; each point splits its weight 1/14 between the two cells around it.
 */
class RoiAlignWeightsTest {

    private static final double EPS = 1e-9;

    @Test
    void aBoxAlignedToCells() {
        // a DocMNIST cell, pixels 28..56 of 84, on the 21-cell map (scale 1/4): from 6.5, size 7, points 6.75, 7.25 .. 13.25.
        // 6.75 gives cell 6 a quarter and cell 7 three quarters; 7.25 gives 7 three quarters and 8 a quarter; and so on:
        // cells 6 and 14 get 0.25/14, cells 7 and 13 get 1.75/14, cells 8..12 get 2/14 each.
        double[] w = RoiAlignWeights.axis(28, 56, 0.25, 21);
        double[] expected = new double[21];
        expected[6] = 0.25 / 14;
        expected[7] = 1.75 / 14;
        for (int c = 8; c <= 12; c++) {
            expected[c] = 2.0 / 14;
        }
        expected[13] = 1.75 / 14;
        expected[14] = 0.25 / 14;
        for (int c = 0; c < 21; c++) {
            assertThat(w[c]).as("cell %d", c).isCloseTo(expected[c], within(EPS));
        }
    }

    @Test
    void aFractionalBoxAtTheBorderIsClampedAsInTorchvision() {
        // pixels 1..4 on a 4-cell map of a 16-pixel image (scale 1/4): from -0.25, size 0.75, points -0.25 + (k + 0.5) * 0.75 / 14.
        // Points k = 0..4 lie below 0: clamped to 0, all weight to cell 0 (5/14). Points k = 5..13 at p split p to cell 1 and
        // 1 - p to cell 0; their p sum to 9 * -0.25 + (0.75 / 14) * (5.5 + 6.5 + ... + 13.5) = -2.25 + 0.75 * 85.5 / 14.
        double[] w = RoiAlignWeights.axis(1, 4, 0.25, 4);
        double sumP = -2.25 + 0.75 * 85.5 / 14;
        assertThat(w[1]).isCloseTo(sumP / 14, within(EPS));
        assertThat(w[0]).isCloseTo((5 + 9 - sumP) / 14, within(EPS));
        assertThat(w[2]).isZero();
        assertThat(w[3]).isZero();
    }

    @Test
    void pointsMoreThanOneCellOutsideTheMapCountZero() {
        // pixels 16..32 of a 16-pixel image, 4 cells: from 3.5, size 4, points 3.64 .. 7.36. The points up to 4.0 (k = 0, 1:
        // 3.643 and 3.929) are clamped to the last cell; k >= 2 (4.214 ...) lie beyond 4 (= cells) and count zero, yet
        // still count in the mean.
        double[] w = RoiAlignWeights.axis(16, 32, 0.25, 4);
        assertThat(w[3]).isCloseTo(2.0 / 14, within(EPS));
        assertThat(w[0] + w[1] + w[2]).isZero();
    }

    @Test
    void twoDimensionsAreTheOuterProductAndSumToOneInside() {
        RegionBox box = new RegionBox(28, 0, 28, 56); // columns 28..56, rows 0..56
        float[] w = RoiAlignWeights.of(box, 84, 21, 21);
        double[] rows = RoiAlignWeights.axis(0, 56, 0.25, 21);
        double[] columns = RoiAlignWeights.axis(28, 56, 0.25, 21);
        double sum = 0;
        for (int i = 0; i < 21; i++) {
            for (int j = 0; j < 21; j++) {
                assertThat((double) w[i * 21 + j]).isCloseTo(rows[i] * columns[j], within(1e-7));
                sum += w[i * 21 + j];
            }
        }
        assertThat(sum).isCloseTo(1.0, within(1e-5));
        assertThat(w[10 * 21 + 3]).as("a cell left of the box").isZero();
    }
}
