package io.villa.trainer.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import io.villa.djl.SquareRgb;

/**
 * Turns an encoded whole image (PNG/JPEG) into the {@link WholeImage} the image tower takes: RGB at the tower's
 * side, resized (bilinear) only when it differs. Pixels stay bytes until a batch is built, which keeps held-out
 * sets small.
 */
public final class ImageDecoder {

    static {
        System.setProperty("java.awt.headless", "true");
        ImageIO.setUseCache(false); // the default spools every decoded stream through a temp file: 4x slower
    }

    private ImageDecoder() {}

    /**
     * Reads width and height from the image header first and refuses an image larger than {@code maxSide} on either
     * side before a single pixel is decoded (a small file can declare a huge image).
     *
     * @throws IOException with the reason when the bytes are no image
     */
    public static WholeImage decode(byte[] encoded, int side, int maxSide) throws IOException {
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
                    throw new ImageTooLargeException(
                            width + " x " + height + " pixels, over the limit of " + maxSide + " a side");
                }
                return fromImage(reader.read(0), side);
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

    /** Resizes (bilinear) when the image is not {@code side x side} already. */
    public static WholeImage fromImage(BufferedImage image, int side) {
        if (image.getWidth() == side && image.getHeight() == side && image.getType() == BufferedImage.TYPE_3BYTE_BGR) {
            return new WholeImage(rgbOfBgr(image, side), side, side, side);
        }
        BufferedImage scaled = SquareRgb.of(image, side);
        int[] argb = scaled.getRGB(0, 0, side, side, null, 0, side);
        byte[] rgb = new byte[side * side * 3];
        for (int p = 0, i = 0; p < argb.length; p++) {
            rgb[i++] = (byte) (argb[p] >> 16);
            rgb[i++] = (byte) (argb[p] >> 8);
            rgb[i++] = (byte) argb[p];
        }
        return new WholeImage(rgb, side, image.getWidth(), image.getHeight());
    }

    /**
     * An 8-bit RGB PNG at the tower's size (DocMNIST's, decoded as 3-byte BGR) read straight from its raster: a third of
     * the decoding cost, on the fetch thread that shares the cores with training.
     */
    private static byte[] rgbOfBgr(BufferedImage image, int side) {
        WritableRaster raster = image.getRaster();
        byte[] rgb = new byte[side * side * 3];
        if (raster.getDataBuffer() instanceof DataBufferByte data
                && data.getNumBanks() == 1
                && raster.getSampleModel() instanceof PixelInterleavedSampleModel model
                && model.getPixelStride() == 3
                && model.getScanlineStride() == side * 3
                && raster.getSampleModelTranslateX() == 0
                && raster.getSampleModelTranslateY() == 0) {
            byte[] bgr = data.getData();
            int[] offsets = model.getBandOffsets(); // where R, G and B sit within a pixel
            for (int p = 0; p < side * side; p++) {
                rgb[3 * p] = bgr[3 * p + offsets[0]];
                rgb[3 * p + 1] = bgr[3 * p + offsets[1]];
                rgb[3 * p + 2] = bgr[3 * p + offsets[2]];
            }
            return rgb;
        }
        int[] argb = image.getRGB(0, 0, side, side, null, 0, side);
        for (int p = 0, i = 0; p < argb.length; p++) {
            rgb[i++] = (byte) (argb[p] >> 16);
            rgb[i++] = (byte) (argb[p] >> 8);
            rgb[i++] = (byte) argb[p];
        }
        return rgb;
    }
}
