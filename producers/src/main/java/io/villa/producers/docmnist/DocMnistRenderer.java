package io.villa.producers.docmnist;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

import io.villa.producers.mnist.DigitPool;

/**
 * Paints a {@link DocMnistSample}: 84x84 RGB on black, each region's digit in its cell, the digit's pixels with grey
 * value >= {@value #COLOR_THRESHOLD} painted in the region's colour (darker stroke edges stay grey), then the white
 * outline, if any, on top.
 */
public final class DocMnistRenderer {

    public static final int SIDE = DocMnistRegion.CELL * DocMnistRegion.GRID;
    public static final int COLOR_THRESHOLD = 120;
    /** Side of the outline's bounding square in pixels, per size (small, medium, large); all fit in a 28-pixel cell. */
    static final int[] SHAPE_EXTENT = {8, 14, 20};

    /** The five colours: evenly spaced hues at full saturation and brightness (red, yellow, green, blue, purple). */
    static final int[] COLOR_RGB = new int[DocMnistVocabulary.COLORS.size()];

    static {
        for (int i = 0; i < COLOR_RGB.length; i++) {
            COLOR_RGB[i] = Color.HSBtoRGB((float) i / COLOR_RGB.length, 1f, 1f) & 0xFFFFFF;
        }
    }

    private DocMnistRenderer() {
    }

    public static int colorRgb(int color) {
        return COLOR_RGB[color];
    }

    public static BufferedImage render(DocMnistSample sample, DigitPool pool) {
        BufferedImage image = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB); // starts black
        for (DocMnistRegion region : sample.regions()) {
            paintDigit(image, region, pool);
        }
        Graphics2D g = image.createGraphics();
        try {
            // hard-edged, reproducible outlines
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setColor(Color.WHITE);
            for (DocMnistRegion region : sample.regions()) {
                if (region.hasShape()) {
                    int extent = SHAPE_EXTENT[region.size()] - 1;
                    int x = region.left() + region.shapeX();
                    int y = region.top() + region.shapeY();
                    if (DocMnistVocabulary.SHAPES.get(region.shape()).equals("circle")) {
                        g.drawOval(x, y, extent, extent);
                    } else {
                        g.drawRect(x, y, extent, extent);
                    }
                }
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    private static void paintDigit(BufferedImage image, DocMnistRegion region, DigitPool pool) {
        int color = COLOR_RGB[region.color()];
        for (int row = 0; row < DocMnistRegion.CELL; row++) {
            for (int column = 0; column < DocMnistRegion.CELL; column++) {
                int grey = pool.grey(region.digitIndex(), row, column);
                int rgb = grey >= COLOR_THRESHOLD ? color : (grey << 16) | (grey << 8) | grey;
                image.setRGB(region.left() + column, region.top() + row, rgb);
            }
        }
    }
}
