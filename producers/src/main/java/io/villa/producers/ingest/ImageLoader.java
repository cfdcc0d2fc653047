package io.villa.producers.ingest;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import io.villa.producers.docmnist.PngEncoder;
import io.villa.records.ImageFormat;

/**
 * Reads PNG and JPEG images (8- and 16-bit grey, RGB) and downscales those whose longest side exceeds a limit. An
 * image that fits is passed on with its original bytes; a downscaled one is re-encoded in its own format, keeping
 * 16-bit grey as 16-bit (X-rays).
 */
public final class ImageLoader {

    private static final float JPEG_QUALITY = 0.92f;

    private final int maxSide;

    /** @param maxSide longest side allowed; larger images are downscaled to it (0 = never) */
    public ImageLoader(int maxSide) {
        if (maxSide < 0) {
            throw new IllegalArgumentException("max side must not be negative");
        }
        this.maxSide = maxSide;
    }

    public LoadedImage load(byte[] bytes, String name) throws IngestFailure {
        ImageFormat format = sniff(bytes);
        if (format == null) {
            throw new IngestFailure(IngestFailure.Reason.UNDECODABLE_IMAGE, name + " is neither PNG nor JPEG");
        }
        BufferedImage image = decode(bytes, name, format);
        int width = image.getWidth();
        int height = image.getHeight();
        int longest = Math.max(width, height);
        if (maxSide == 0 || longest <= maxSide) {
            return new LoadedImage(bytes, format, width, height, width, height, 1.0);
        }
        double scale = (double) maxSide / longest;
        int newWidth = Math.max(1, (int) Math.round(width * scale));
        int newHeight = Math.max(1, (int) Math.round(height * scale));
        BufferedImage scaled = downscale(image, newWidth, newHeight);
        byte[] encoded = format == ImageFormat.PNG ? PngEncoder.encode(scaled) : jpeg(scaled, name);
        return new LoadedImage(encoded, format, newWidth, newHeight, width, height, (double) newWidth / width);
    }

    private static ImageFormat sniff(byte[] bytes) {
        if (bytes.length >= 8 && (bytes[0] & 0xFF) == 0x89 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G') {
            return ImageFormat.PNG;
        }
        if (bytes.length >= 3 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xD8 && (bytes[2] & 0xFF) == 0xFF) {
            return ImageFormat.JPEG;
        }
        return null;
    }

    private static BufferedImage decode(byte[] bytes, String name, ImageFormat format) throws IngestFailure {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IngestFailure(IngestFailure.Reason.UNDECODABLE_IMAGE, name + ": no reader for this " + format);
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                BufferedImage image = reader.read(0);
                if (image.getWidth() <= 0 || image.getHeight() <= 0) {
                    throw new IngestFailure(IngestFailure.Reason.UNDECODABLE_IMAGE, name + " has no pixels");
                }
                return image;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            // ImageIO throws IIOException for damaged data and runtime exceptions for some malformed headers
            throw new IngestFailure(IngestFailure.Reason.UNDECODABLE_IMAGE, name + " cannot be decoded as " + format + ": "
                    + e.getMessage(), e);
        }
    }

    /** Halves the image with bilinear filtering until close, then scales the rest: smooth without a library. */
    private static BufferedImage downscale(BufferedImage source, int width, int height) {
        int type = targetType(source);
        BufferedImage current = source;
        int w = source.getWidth();
        int h = source.getHeight();
        do {
            w = Math.max(width, w / 2);
            h = Math.max(height, h / 2);
            BufferedImage next = new BufferedImage(w, h, type);
            Graphics2D g = next.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
                g.drawImage(current, 0, 0, w, h, null);
            } finally {
                g.dispose();
            }
            current = next;
        } while (w != width || h != height);
        return current;
    }

    private static int targetType(BufferedImage source) {
        return switch (source.getType()) {
            case BufferedImage.TYPE_USHORT_GRAY -> BufferedImage.TYPE_USHORT_GRAY;
            case BufferedImage.TYPE_BYTE_GRAY -> BufferedImage.TYPE_BYTE_GRAY;
            default -> source.getColorModel().getNumComponents() == 1 ? BufferedImage.TYPE_BYTE_GRAY
                    : source.getColorModel().hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB;
        };
    }

    private static byte[] jpeg(BufferedImage image, String name) throws IngestFailure {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(JPEG_QUALITY);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new IngestFailure(IngestFailure.Reason.UNSUPPORTED_IMAGE, name + " cannot be re-encoded as JPEG: " + e.getMessage(), e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
