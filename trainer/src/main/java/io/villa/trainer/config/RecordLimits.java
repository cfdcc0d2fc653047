package io.villa.trainer.config;

import static io.villa.trainer.config.ConfigChecks.checkArgument;

/**
 * Bounds a region-attribute record must keep before the trainer spends work on it. A record over one goes to
 * the dead-letter topic with the reason and training goes on. Each bound guards a resource that a single broken
 * or hostile record could otherwise exhaust; the defaults leave ample room for real chest X-ray crops and reports.
 *
 * @param imageBytes  encoded crop (PNG/JPEG) bytes: held in memory, decoded and queued per record
 * @param imageSide   width and height, each, read from the image header before any pixel is decoded: a PNG of a few
 *                    kilobytes can declare 65535 x 65535 pixels, which would take 17 GB to decode
 * @param textChars   characters of the region's text: tokenizing is linear in it
 * @param tokens      words of the region's text. Over it the record is rejected, not truncated: a truncated text would
 *                    pair the crop with part of its description as if it were all of it. With this bound a text's
 *                    sentences and words per sentence are bounded too, so a batch's padded token tensor is
 *                    bounded as well (see {@code TokenBudget})
 * @param attributes  attributes assigned to the region: kept per held-out example for evaluation
 */
public record RecordLimits(int imageBytes, int imageSide, int textChars, int tokens, int attributes) {

    public RecordLimits {
        checkArgument(imageBytes >= 1, "imageBytes must be >= 1, got %s", imageBytes);
        checkArgument(imageSide >= 1, "imageSide must be >= 1, got %s", imageSide);
        checkArgument(textChars >= 1, "textChars must be >= 1, got %s", textChars);
        checkArgument(tokens >= 1, "tokens must be >= 1, got %s", tokens);
        checkArgument(attributes >= 1, "attributes must be >= 1, got %s", attributes);
    }

    /** 16 MiB, 4096 px a side, 20000 characters, 512 words, 256 attributes. */
    public static RecordLimits defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .optImageBytes(imageBytes)
                .optImageSide(imageSide)
                .optTextChars(textChars)
                .optTokens(tokens)
                .optAttributes(attributes);
    }

    /** Starts from the defaults. */
    public static final class Builder {
        private int imageBytes = 16 * 1024 * 1024;
        private int imageSide = 4096;
        private int textChars = 20_000;
        private int tokens = 512;
        private int attributes = 256;

        private Builder() {}

        public Builder optImageBytes(int v) {
            imageBytes = v;
            return this;
        }

        public Builder optImageSide(int v) {
            imageSide = v;
            return this;
        }

        public Builder optTextChars(int v) {
            textChars = v;
            return this;
        }

        public Builder optTokens(int v) {
            tokens = v;
            return this;
        }

        public Builder optAttributes(int v) {
            attributes = v;
            return this;
        }

        public RecordLimits build() {
            return new RecordLimits(imageBytes, imageSide, textChars, tokens, attributes);
        }
    }
}
