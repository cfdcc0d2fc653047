package io.villa.trainer.image;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Turns encoded crops (PNG/JPEG) into the fixed-size RGB the image tower takes. Pixels are kept as
 * bytes (size*size*3, row-major RGB) until a batch is built, which keeps held-out sets small.
 */
public final class CropPixels {

    static {
        System.setProperty("java.awt.headless", "true");
        ImageIO.setUseCache(false); // the default spools every decoded stream through a temp file: 4x slower
    }

    private CropPixels() {
    }

    /** Decodes and resizes; throws {@link IOException} with the reason when the bytes are no image. */
    public static byte[] decode(byte[] encoded, int size) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(encoded));
        if (image == null) {
            throw new IOException("not a PNG or JPEG image (" + encoded.length + " bytes)");
        }
        return fromImage(image, size);
    }

    /**
     * Like {@link #decode(byte[], int)}, but reads width and height from the image header first and refuses an image
     * larger than {@code maxSide} on either side before a single pixel is decoded (a small file can declare a huge image).
     */
    public static byte[] decode(byte[] encoded, int size, int maxSide) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(encoded))) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new IOException("not a PNG or JPEG image (" + encoded.length + " bytes)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if (width > maxSide || height > maxSide) {
                    throw new ImageTooLargeException(width + " x " + height + " pixels, over the limit of " + maxSide + " a side");
                }
                BufferedImage image = reader.read(0);
                return fromImage(image, size);
            } finally {
                reader.dispose();
            }
        }
    }

    /** An image whose header declares more pixels than allowed; never decoded. */
    public static final class ImageTooLargeException extends IOException {
        public ImageTooLargeException(String message) {
            super(message);
        }
    }

    /** Resizes (bilinear) and returns RGB bytes. */
    public static byte[] fromImage(BufferedImage image, int size) {
        BufferedImage scaled = image;
        if (image.getWidth() != size || image.getHeight() != size || image.getType() != BufferedImage.TYPE_INT_RGB) {
            scaled = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = scaled.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, 0, 0, size, size, null);
            g.dispose();
        }
        byte[] rgb = new byte[size * size * 3];
        int i = 0;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int p = scaled.getRGB(x, y);
                rgb[i++] = (byte) (p >> 16);
                rgb[i++] = (byte) (p >> 8);
                rgb[i++] = (byte) p;
            }
        }
        return rgb;
    }

    /** A (n, 3, size, size) float tensor in [0, 1] from n RGB byte crops. */
    public static NDArray batch(NDManager manager, List<byte[]> crops, int size) {
        byte[] all = new byte[crops.size() * size * size * 3];
        for (int i = 0; i < crops.size(); i++) {
            byte[] c = crops.get(i);
            if (c.length != size * size * 3) {
                throw new IllegalArgumentException("crop " + i + " has " + c.length + " bytes, expected " + size * size * 3);
            }
            System.arraycopy(c, 0, all, i * c.length, c.length);
        }
        NDArray hwc = manager.create(java.nio.ByteBuffer.wrap(all), new Shape(crops.size(), size, size, 3), DataType.UINT8);
        return hwc.toType(DataType.FLOAT32, false).div(255f).transpose(0, 3, 1, 2);
    }
}
