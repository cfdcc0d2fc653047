package io.villa.producers.docmnist;

import java.awt.image.BufferedImage;

import io.villa.producers.mnist.DigitPool;

/**
 * Paints a {@link DocMnistSample} as the reference generator does: 84x84 RGB on black, each region's digit in its
 * cell, the digit's pixels with grey value >= {@value #COLOR_THRESHOLD} painted in the region's colour on all three
 * channels (darker stroke edges keep their grey), then the region's outline, if any, in white on top.
 */
public final class DocMnistRenderer {

    public static final int SIDE = DocMnistRegion.CELL * DocMnistRegion.GRID;
    public static final int COLOR_THRESHOLD = 120;
    private static final int WHITE = 0xFFFFFF;

    /**
     * The five colours, in {@link DocMnistVocabulary#COLORS} order: matplotlib's hsv colormap at 0, .2, .4, .6, .8,
     * times 255, truncated (the reference's {@code get_colors}).
     */
    private static final int[] COLOR_RGB = {
            rgb(255, 0, 0),     // red
            rgb(208, 255, 0),   // yellow
            rgb(0, 255, 92),    // green
            rgb(0, 116, 255),   // blue
            rgb(184, 0, 255)};  // purple

    private DocMnistRenderer() {
    }

    /** The colour's 0xRRGGBB value. */
    public static int colorRgb(int color) {
        return COLOR_RGB[color];
    }

    public static BufferedImage render(DocMnistSample sample, DigitPool pool) {
        BufferedImage image = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB); // starts black
        for (DocMnistRegion region : sample.regions()) {
            paintDigit(image, region, pool);
            for (Perimeters.Pixel pixel : region.shapePixels()) {
                image.setRGB(region.left() + pixel.col(), region.top() + pixel.row(), WHITE);
            }
        }
        return image;
    }

    private static void paintDigit(BufferedImage image, DocMnistRegion region, DigitPool pool) {
        int color = COLOR_RGB[region.color()];
        for (int row = 0; row < DocMnistRegion.CELL; row++) {
            for (int column = 0; column < DocMnistRegion.CELL; column++) {
                int grey = pool.grey(region.digitIndex(), row, column);
                image.setRGB(region.left() + column, region.top() + row, grey >= COLOR_THRESHOLD ? color : rgb(grey, grey, grey));
            }
        }
    }

    private static int rgb(int red, int green, int blue) {
        return red << 16 | green << 8 | blue;
    }
}
