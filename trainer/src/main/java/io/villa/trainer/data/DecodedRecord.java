package io.villa.trainer.data;

import java.util.List;

import io.villa.records.Box;
import io.villa.records.Split;
import io.villa.trainer.image.RegionBox;
import io.villa.trainer.image.WholeImage;

/**
 * A region-attribute record checked and decoded, waiting for its pair's whole image ({@link PairAssembler}). Only the
 * whole-image record carries pixels: a region's pixels come from the whole image, pooled over its box.
 *
 * @param box   in the source image's pixels
 * @param image the decoded whole image (whole-image records only, else null)
 */
public record DecodedRecord(String pairId, int regionIndex, boolean wholeImage, Box box, String text, List<String> attributes,
                            List<String> groundTruth, Split split, WholeImage image) {

    /** Every record but a held-out whole image, which only brings its pair's image: evaluation ranks regions. */
    public boolean isExample() {
        return !wholeImage || split == Split.TRAIN;
    }

    public String key() {
        return pairId + "#" + regionIndex;
    }

    /**
     * The example this record makes with its pair's whole image.
     *
     * @throws IllegalArgumentException when its box lies outside the image
     */
    public Example toExample(WholeImage pairImage) {
        RegionBox region = wholeImage ? RegionBox.whole(pairImage.side()) : RegionBox.scaled(box, pairImage);
        return Example.builder().setKey(key()).setImage(pairImage).setBox(region).setText(text).optWholeImage(wholeImage)
                .optAttributes(attributes).optGroundTruth(groundTruth).optSplit(split).build();
    }
}
