package io.villa.producers.ingest;

import io.villa.records.ImageFormat;

/**
 * An image ready for a record: encoded bytes and their size.
 *
 * @param scale new size / original size (1 when not downscaled); boxes are scaled by it
 */
public record LoadedImage(byte[] data, ImageFormat format, int width, int height, int originalWidth, int originalHeight,
                          double scale) {
}
