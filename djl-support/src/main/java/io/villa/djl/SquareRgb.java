package io.villa.djl;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * How an image becomes the square RGB that a model's image input takes, the same for the mapping model's regions and
 * the trainer's whole images: resampled bilinearly to {@code side x side} in {@code TYPE_INT_RGB}, left as it is when
 * it is that already.
 */
public final class SquareRgb {

    private SquareRgb() {}

    /** The image at {@code side x side}, {@code TYPE_INT_RGB}; the same instance when it is both already. */
    public static BufferedImage of(BufferedImage image, int side) {
        if (side < 1) {
            throw new IllegalArgumentException("side: " + side + " is below 1");
        }
        if (image.getWidth() == side && image.getHeight() == side && image.getType() == BufferedImage.TYPE_INT_RGB) {
            return image;
        }
        BufferedImage scaled = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scaled.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, 0, 0, side, side, null);
        g.dispose();
        return scaled;
    }
}
