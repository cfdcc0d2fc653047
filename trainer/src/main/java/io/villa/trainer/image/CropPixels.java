package io.villa.trainer.image;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;

import javax.imageio.ImageIO;

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
