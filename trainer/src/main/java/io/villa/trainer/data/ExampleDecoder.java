package io.villa.trainer.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

import io.villa.records.Box;
import io.villa.records.RegionAttributePair;
import io.villa.schemas.AvroBytes;
import io.villa.trainer.config.RecordLimits;
import io.villa.trainer.image.ImageDecoder;
import io.villa.trainer.image.WholeImage;
import io.villa.trainer.text.WordTokenizer;

/**
 * RegionAttributePair -> {@link DecodedRecord}; a record that cannot become one is rejected with the reason. The
 * {@link RecordLimits} are checked cheapest first and each before the work it bounds: text and attributes before
 * tokenizing, the encoded size and the header's width and height before any pixel is decoded. Only a whole-image
 * record's image is decoded (resized to the tower's side when it differs); a region record's crop is not needed,
 * since the tower pools regions from the whole image.
 */
public final class ExampleDecoder {

    private final int imageSize;
    private final RecordLimits limits;

    public ExampleDecoder(int imageSize) {
        this(imageSize, RecordLimits.defaults());
    }

    public ExampleDecoder(int imageSize, RecordLimits limits) {
        this.imageSize = imageSize;
        this.limits = limits;
    }

    /** @throws InvalidRecordException with a reason fit for a dead letter (ids and sizes, never the report text) */
    public DecodedRecord decode(RegionAttributePair record) {
        String key = record.getPairId() + "#" + record.getRegionIndex();
        CharSequence rawText = record.getText() == null ? "" : record.getText();
        if (rawText.length() > limits.textChars()) {
            throw new LimitExceededException(key + ": text has " + rawText.length() + " characters, over the limit of "
                    + limits.textChars() + " (--max-text-chars)");
        }
        String text = rawText.toString();
        if (text.isBlank()) {
            throw new InvalidRecordException(
                    key + ": empty text (a region without assigned sentences is not an example)");
        }
        int words = WordTokenizer.countWords(text);
        if (words > limits.tokens()) {
            throw new LimitExceededException(
                    key + ": text has " + words + " tokens, over the limit of " + limits.tokens() + " (--max-tokens)");
        }
        int attributeCount =
                record.getAttributes() == null ? 0 : record.getAttributes().size();
        if (attributeCount > limits.attributes()) {
            throw new LimitExceededException(key + ": " + attributeCount + " attributes, over the limit of "
                    + limits.attributes() + " (--max-attributes)");
        }
        int truthCount =
                record.getGroundTruth() == null ? 0 : record.getGroundTruth().size();
        if (truthCount > limits.attributes()) {
            throw new LimitExceededException(key + ": " + truthCount + " ground-truth attributes, over the limit of "
                    + limits.attributes() + " (--max-attributes)");
        }
        ByteBuffer encoded =
                record.getRegionImage() == null ? null : record.getRegionImage().getData();
        if (encoded != null && encoded.remaining() > limits.imageBytes()) {
            throw new LimitExceededException(
                    key + ": " + (record.getWholeImage() ? "whole" : "region") + " image has " + encoded.remaining()
                            + " bytes, over the limit of " + limits.imageBytes() + " (--max-image-bytes)");
        }
        Box box = record.getBox();
        if (!record.getWholeImage() && (box == null || box.getWidth() < 1 || box.getHeight() < 1)) {
            throw new InvalidRecordException(key + ": region without a box of at least one pixel");
        }
        WholeImage image = record.getWholeImage() ? wholeImage(key, encoded) : null;
        List<String> attributes = record.getAttributes() == null
                ? List.of()
                : record.getAttributes().stream().map(CharSequence::toString).toList();
        List<String> truth = record.getGroundTruth() == null
                ? List.of()
                : record.getGroundTruth().stream().map(CharSequence::toString).toList();
        return new DecodedRecord(
                record.getPairId().toString(),
                record.getRegionIndex(),
                record.getWholeImage(),
                box,
                text,
                attributes,
                truth,
                record.getSplit(),
                image);
    }

    private WholeImage wholeImage(String key, ByteBuffer encoded) {
        if (encoded == null) {
            throw new InvalidRecordException(key + ": whole-image record without an image");
        }
        try {
            return ImageDecoder.decode(AvroBytes.copyOf(encoded), imageSize, limits.imageSide());
        } catch (ImageDecoder.ImageTooLargeException e) {
            throw new LimitExceededException(key + ": whole image is " + e.getMessage() + " (--max-image-side)");
        } catch (IOException | RuntimeException e) {
            throw new InvalidRecordException(key + ": whole image unreadable: " + e.getMessage(), e);
        }
    }

    /** A record the trainer cannot use; the message says why. */
    public static class InvalidRecordException extends RuntimeException {
        public InvalidRecordException(String message) {
            super(message);
        }

        public InvalidRecordException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A record over one of the {@link RecordLimits}: refused before the work the limit bounds. */
    public static final class LimitExceededException extends InvalidRecordException {
        public LimitExceededException(String message) {
            super(message);
        }
    }
}
