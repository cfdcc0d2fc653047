package io.villa.flink.prepare;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import javax.imageio.ImageIO;

import io.villa.djl.SquareRgb;
import io.villa.records.Box;

/** Crops of an image: the region resampled to a fixed size as model input, and as PNG bytes for output. */
public final class RegionPixels {

    private RegionPixels() {}

    /**
     * The region resampled to size x size: unsigned 8-bit RGB, channel-major (3 x size x size). Bytes, not floats:
     * pairs, replay buffers and waiting lists hold a quarter of the memory and state; the model scales them to [0,1].
     */
    public static byte[] pixels(BufferedImage image, Box box, int size) {
        BufferedImage scaled =
                SquareRgb.of(image.getSubimage(box.getX(), box.getY(), box.getWidth(), box.getHeight()), size);
        byte[] out = new byte[3 * size * size];
        int plane = size * size;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int rgb = scaled.getRGB(x, y);
                int i = y * size + x;
                out[i] = (byte) (rgb >> 16);
                out[plane + i] = (byte) (rgb >> 8);
                out[2 * plane + i] = (byte) rgb;
            }
        }
        return out;
    }

    /** The region as PNG bytes, at its own size. */
    public static byte[] png(BufferedImage image, Box box) {
        BufferedImage crop = new BufferedImage(box.getWidth(), box.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = crop.createGraphics();
        g.drawImage(image.getSubimage(box.getX(), box.getY(), box.getWidth(), box.getHeight()), 0, 0, null);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(crop, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
