package io.villa.trainer.data;

import java.io.IOException;
import java.util.List;

import io.villa.records.RegionAttributePair;
import io.villa.trainer.image.CropPixels;

/** RegionAttributePair -> {@link Example}; a record that cannot become one is rejected with the reason. */
public final class ExampleDecoder {

    private final int imageSize;

    public ExampleDecoder(int imageSize) {
        this.imageSize = imageSize;
    }

    /** @throws InvalidRecordException with a reason fit for a dead letter (never the report text) */
    public Example decode(RegionAttributePair record) {
        String key = record.getPairId() + "#" + record.getRegionIndex();
        if (record.getRegionImage() == null || record.getRegionImage().getData() == null) {
            throw new InvalidRecordException(key + ": no region image");
        }
        String text = record.getText() == null ? "" : record.getText().toString();
        if (text.isBlank()) {
            throw new InvalidRecordException(key + ": empty text (a region without assigned sentences is not an example)");
        }
        byte[] encoded = toBytes(record.getRegionImage().getData());
        byte[] pixels;
        try {
            pixels = CropPixels.decode(encoded, imageSize);
        } catch (IOException | RuntimeException e) {
            throw new InvalidRecordException(key + ": region image unreadable: " + e.getMessage(), e);
        }
        List<String> attributes = record.getAttributes() == null ? List.of()
                : record.getAttributes().stream().map(CharSequence::toString).toList();
        List<String> truth = record.getGroundTruth() == null ? List.of()
                : record.getGroundTruth().stream().map(CharSequence::toString).toList();
        return new Example(key, pixels, text, record.getWholeImage(), attributes, truth, record.getSplit());
    }

    private static byte[] toBytes(java.nio.ByteBuffer buffer) {
        java.nio.ByteBuffer b = buffer.duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /** A record the trainer cannot use; the message says why. */
    public static final class InvalidRecordException extends RuntimeException {
        public InvalidRecordException(String message) {
            super(message);
        }

        public InvalidRecordException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
