package io.villa.trainer.image;

/**
 * A whole image as the image tower takes it: {@code side x side} RGB bytes (row-major), plus the size it had
 * before resizing, to scale its regions' boxes. All examples of one image share one instance, which is how a
 * batch finds the images it holds and runs each through the backbone once.
 *
 * @param rgb          side*side*3 bytes
 * @param side         width and height after resizing (the tower's image size)
 * @param sourceWidth  width of the decoded image
 * @param sourceHeight height of the decoded image
 */
public record WholeImage(byte[] rgb, int side, int sourceWidth, int sourceHeight) {

    public WholeImage {
        if (side < 1 || sourceWidth < 1 || sourceHeight < 1) {
            throw new IllegalArgumentException("image sizes must be >= 1");
        }
    }

    /** An image already at the tower's size. */
    public static WholeImage ofSide(byte[] rgb, int side) {
        return new WholeImage(rgb, side, side, side);
    }
}
