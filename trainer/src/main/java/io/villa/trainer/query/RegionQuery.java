package io.villa.trainer.query;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.villa.records.Box;
import io.villa.trainer.image.ImageDecoder;
import io.villa.trainer.image.RegionBatch;
import io.villa.trainer.image.RegionBox;
import io.villa.trainer.image.WholeImage;
import io.villa.trainer.model.ContrastiveModel;

/**
 * Zero-shot region search: scores each region of one image against a text with a trained model
 * (cosine of the L2-normalised embeddings) and ranks them. The image runs through the backbone once, at the
 * model's image size; each region is pooled from its feature map over its box, as in training.
 */
public final class RegionQuery {

    private RegionQuery() {}

    /** One ranked region. */
    public record Scored(int index, Box box, float score) {}

    /** An n x n grid of equal cells over the image (the last row/column absorbs any remainder). */
    public static List<Box> grid(int width, int height, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("grid size must be >= 1");
        }
        List<Box> boxes = new ArrayList<>();
        int cw = width / n;
        int ch = height / n;
        for (int row = 0; row < n; row++) {
            for (int col = 0; col < n; col++) {
                int w = col == n - 1 ? width - col * cw : cw;
                int h = row == n - 1 ? height - row * ch : ch;
                boxes.add(new Box(col * cw, row * ch, w, h));
            }
        }
        return boxes;
    }

    /** @return regions ranked best first */
    public static List<Scored> rank(ContrastiveModel model, BufferedImage image, List<Box> boxes, String text) {
        WholeImage whole = ImageDecoder.fromImage(image, model.config().imageSize());
        List<RegionBatch.Region> regions = new ArrayList<>();
        for (Box b : boxes) {
            regions.add(
                    new RegionBatch.Region(whole, RegionBox.scaled(b, whole))); // throws for a box outside the image
        }
        float[][] embedded = model.embedRegions(regions);
        float[] query = model.embedTexts(List.of(text))[0];
        List<Scored> out = new ArrayList<>();
        for (int i = 0; i < boxes.size(); i++) {
            float s = 0;
            for (int d = 0; d < query.length; d++) {
                s += embedded[i][d] * query[d];
            }
            out.add(new Scored(i, boxes.get(i), s));
        }
        out.sort(Comparator.comparingDouble(Scored::score).reversed());
        return out;
    }
}
