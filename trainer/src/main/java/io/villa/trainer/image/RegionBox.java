package io.villa.trainer.image;

import io.villa.records.Box;

/**
 * A region's box in the pixel coordinates of its {@link WholeImage} after resizing: it covers
 * {@code [x, x + width) x [y, y + height)}, corners as continuous coordinates (pixel i spans i..i+1).
 */
public record RegionBox(float x, float y, float width, float height) {

    public RegionBox {
        if (!(width > 0) || !(height > 0)) {
            throw new IllegalArgumentException("a box needs a positive width and height, got " + width + " x " + height);
        }
    }

    /** The whole image. */
    public static RegionBox whole(int side) {
        return new RegionBox(0, 0, side, side);
    }

    /**
     * A record's box (pixels of the source image) scaled with the image, clipped to it.
     *
     * @throws IllegalArgumentException when the box is empty or lies outside the image
     */
    public static RegionBox scaled(Box box, WholeImage image) {
        float sx = (float) image.side() / image.sourceWidth();
        float sy = (float) image.side() / image.sourceHeight();
        float x0 = Math.max(0, box.getX());
        float y0 = Math.max(0, box.getY());
        float x1 = Math.min(image.sourceWidth(), (float) box.getX() + box.getWidth());
        float y1 = Math.min(image.sourceHeight(), (float) box.getY() + box.getHeight());
        if (!(x1 > x0) || !(y1 > y0)) {
            throw new IllegalArgumentException("box " + box.getX() + "," + box.getY() + "," + box.getWidth() + "," + box.getHeight()
                    + " is empty or outside the " + image.sourceWidth() + "x" + image.sourceHeight() + " image");
        }
        return new RegionBox(x0 * sx, y0 * sy, (x1 - x0) * sx, (y1 - y0) * sy);
    }
}
