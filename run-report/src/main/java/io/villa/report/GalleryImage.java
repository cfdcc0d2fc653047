package io.villa.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One decomposed image for the report's gallery: the whole image and the regions the mapping model assigned
 * attributes to, with what the source says is true. Plain Java (no Avro types) so the page can be built and tested
 * without Kafka.
 *
 * @param pairId  the image-report pair's id
 * @param split   TRAIN, VAL or TEST
 * @param image   the whole image, encoded (PNG, or anything ImageIO reads)
 * @param width   its width in pixels
 * @param height  its height in pixels
 * @param regions regions with at least one assigned attribute, by region index
 */
public record GalleryImage(String pairId, String split, byte[] image, int width, int height, List<Region> regions) {

    public GalleryImage {
        Objects.requireNonNull(pairId, "pairId");
        Objects.requireNonNull(image, "image");
        image = image.clone();   // a record is a value: nobody else may change its pixels
        regions = List.copyOf(regions);
    }

    @Override
    public byte[] image() {
        return image.clone();
    }

    /** A region's place in the image, in pixels of the whole image; x,y is the top-left corner. */
    public record Box(int x, int y, int width, int height) {
    }

    /**
     * @param index       the region's index in its source
     * @param box         where it is
     * @param attributes  attributes the mapping model assigned to it
     * @param groundTruth its true attributes, or null where the source carries none
     * @param scores      mapping score of each assigned attribute
     */
    public record Region(int index, Box box, List<String> attributes, List<String> groundTruth, Map<String, Double> scores) {

        public Region {
            Objects.requireNonNull(box, "box");
            attributes = List.copyOf(attributes);
            groundTruth = groundTruth == null ? null : List.copyOf(groundTruth);
            scores = scores == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(scores));
        }

        public boolean hasGroundTruth() {
            return groundTruth != null;
        }

        /** Assigned and true; empty without ground truth. */
        public List<String> correct() {
            return hasGroundTruth() ? attributes.stream().filter(groundTruth::contains).toList() : List.of();
        }

        /** Assigned but not true; empty without ground truth. */
        public List<String> wrong() {
            return hasGroundTruth() ? attributes.stream().filter(a -> !groundTruth.contains(a)).toList() : List.of();
        }

        /** True but not assigned here: what the mapping missed in this region. */
        public List<String> missed() {
            if (!hasGroundTruth()) {
                return List.of();
            }
            List<String> missed = new ArrayList<>(groundTruth);
            missed.removeAll(attributes);
            return missed;
        }

        /** Counts only: attribute words come from reports, which stay out of logs. */
        @Override
        public String toString() {
            return "Region[index=" + index + ", " + box + ", " + attributes.size() + " attributes assigned, ground truth "
                    + (hasGroundTruth() ? groundTruth.size() + " attributes" : "none") + "]";
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GalleryImage g && pairId.equals(g.pairId) && Objects.equals(split, g.split)
                && width == g.width && height == g.height && Arrays.equals(image, g.image) && regions.equals(g.regions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(pairId, split, width, height, Arrays.hashCode(image), regions);
    }

    /** Sizes only: never the pixels. */
    @Override
    public String toString() {
        return "GalleryImage[pairId=" + pairId + ", split=" + split + ", " + width + "x" + height + ", "
                + image.length + " bytes, " + regions.size() + " regions]";
    }
}
