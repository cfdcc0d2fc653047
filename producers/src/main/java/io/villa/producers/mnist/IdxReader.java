package io.villa.producers.mnist;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the unsigned-byte IDX files of MNIST: labels (magic 0x00000801, one dimension) and images
 * (magic 0x00000803, three dimensions: count, rows, columns). All integers are big-endian.
 */
public final class IdxReader {

    static final int LABELS_MAGIC = 0x00000801;
    static final int IMAGES_MAGIC = 0x00000803;

    private IdxReader() {}

    /** Labels: one byte per item. */
    public static byte[] readLabels(Path file) {
        return readLabels(read(file), file.toString());
    }

    /** Images: {@code count} images of {@code rows x columns} grey bytes, row-major. */
    public static IdxImages readImages(Path file) {
        return readImages(read(file), file.toString());
    }

    static byte[] readLabels(byte[] bytes, String name) {
        ByteBuffer buffer = header(bytes, name, LABELS_MAGIC, 1);
        int count = dimension(buffer, name, "item count");
        byte[] labels = body(buffer, name, count);
        return labels;
    }

    static IdxImages readImages(byte[] bytes, String name) {
        ByteBuffer buffer = header(bytes, name, IMAGES_MAGIC, 3);
        int count = dimension(buffer, name, "image count");
        int rows = dimension(buffer, name, "rows");
        int columns = dimension(buffer, name, "columns");
        long expected = (long) count * rows * columns;
        if (expected > Integer.MAX_VALUE - 16) {
            throw new IdxFormatException(
                    name + ": " + count + " images of " + rows + "x" + columns + " are too many to load");
        }
        return new IdxImages(count, rows, columns, body(buffer, name, (int) expected));
    }

    private static ByteBuffer header(byte[] bytes, String name, int expectedMagic, int dimensions) {
        if (bytes.length < 4) {
            throw new IdxFormatException(name + ": truncated IDX header: " + bytes.length + " bytes");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        int magic = buffer.getInt();
        if (magic != expectedMagic) {
            throw new IdxFormatException(String.format(
                    "%s: magic number 0x%08X, expected 0x%08X (%s)",
                    name,
                    magic,
                    expectedMagic,
                    expectedMagic == LABELS_MAGIC
                            ? "unsigned-byte labels, 1 dimension"
                            : "unsigned-byte images, 3 dimensions"));
        }
        int headerLength = 4 + 4 * dimensions;
        if (bytes.length < headerLength) {
            throw new IdxFormatException(
                    name + ": truncated IDX header: " + bytes.length + " bytes, need " + headerLength);
        }
        return buffer;
    }

    private static int dimension(ByteBuffer buffer, String name, String what) {
        int value = buffer.getInt();
        if (value <= 0) {
            throw new IdxFormatException(name + ": " + what + " is " + value + ", must be positive");
        }
        return value;
    }

    private static byte[] body(ByteBuffer buffer, String name, int expected) {
        if (buffer.remaining() < expected) {
            throw new IdxFormatException(
                    name + ": truncated: header promises " + expected + " data bytes, file has " + buffer.remaining());
        }
        if (buffer.remaining() > expected) {
            throw new IdxFormatException(
                    name + ": " + (buffer.remaining() - expected) + " unexpected bytes after the data");
        }
        byte[] data = new byte[expected];
        buffer.get(data);
        return data;
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read IDX file " + file, e);
        }
    }

    /** Grey images as one row-major byte array: image {@code i} starts at {@code i * rows * columns}. */
    public record IdxImages(int count, int rows, int columns, byte[] pixels) {

        public int pixelsPerImage() {
            return rows * columns;
        }
    }
}
