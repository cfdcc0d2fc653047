package io.villa.trainer.data;

import java.util.List;
import java.util.Objects;

import io.villa.records.Split;
import io.villa.trainer.image.RegionBatch;
import io.villa.trainer.image.RegionBox;
import io.villa.trainer.image.WholeImage;

/**
 * One training or evaluation example, ready for the model: a region (its whole image and its box in it; a whole-image
 * example's box is the whole image) and its text. Ground truth is kept for evaluation only; it never reaches the loss.
 *
 * @param key         pairId#regionIndex, unique per record
 * @param image       the whole image, shared by every example of the pair
 * @param box         the region in the image's pixels
 * @param text        the assigned sentences joined with " . "
 * @param wholeImage  whether this is the whole image with its whole report
 * @param attributes  the attributes the decomposition assigned
 * @param groundTruth true attributes of the region (synthetic data), or empty
 * @param split       TRAIN, VAL or TEST
 */
public record Example(String key, WholeImage image, RegionBox box, String text, boolean wholeImage, List<String> attributes,
                      List<String> groundTruth, Split split) {

    public Example {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(box, "box");
        Objects.requireNonNull(text, "text");
        attributes = List.copyOf(attributes);
        groundTruth = List.copyOf(groundTruth);
        Objects.requireNonNull(split, "split");
    }

    /** What the image tower takes. */
    public RegionBatch.Region region() {
        return new RegionBatch.Region(image, box);
    }

    /** The pair this example belongs to (the key without its region index). */
    public String pairId() {
        int hash = key.lastIndexOf('#');
        return hash < 0 ? key : key.substring(0, hash);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Required: key, image, box, text ({@code set*}); the rest defaults to a TRAIN region without attributes. */
    public static final class Builder {
        private String key;
        private WholeImage image;
        private RegionBox box;
        private String text;
        private boolean wholeImage;
        private List<String> attributes = List.of();
        private List<String> groundTruth = List.of();
        private Split split = Split.TRAIN;

        private Builder() {
        }

        public Builder setKey(String k) {
            key = k;
            return this;
        }

        public Builder setImage(WholeImage i) {
            image = i;
            return this;
        }

        public Builder setBox(RegionBox b) {
            box = b;
            return this;
        }

        public Builder setText(String t) {
            text = t;
            return this;
        }

        public Builder optWholeImage(boolean whole) {
            wholeImage = whole;
            return this;
        }

        public Builder optAttributes(List<String> a) {
            attributes = a;
            return this;
        }

        public Builder optGroundTruth(List<String> g) {
            groundTruth = g;
            return this;
        }

        public Builder optSplit(Split s) {
            split = s;
            return this;
        }

        public Example build() {
            return new Example(key, image, box, text, wholeImage, attributes, groundTruth, split);
        }
    }
}
