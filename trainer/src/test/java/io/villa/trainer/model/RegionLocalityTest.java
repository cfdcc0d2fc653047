package io.villa.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.villa.trainer.config.TrainerConfig;
import io.villa.trainer.image.RegionBatch;
import io.villa.trainer.image.RegionBox;
import io.villa.trainer.image.WholeImage;

/**
 * A region's embedding is pooled from its whole image's feature map over its box, so it depends on the pixels near
 * the box only. The centre DocMNIST cell (pixels 28..56 of 84) samples map cells 6..14 (RoIAlign points 6.75 .. 13.25
 * and their neighbours); {@link ConvBackbone}'s cell t sees pixels 4t-7 .. 4t+10, so the region sees pixels 17..66 on
 * each axis and nothing else.
 */
class RegionLocalityTest {

    private static final int SIDE = 84;
    private static final RegionBox CENTRE = new RegionBox(28, 28, 28, 28);

    @Test
    void pixelsOutsideTheReceptiveFieldOfTheBoxDoNotChangeItsEmbeddingPixelsNearItDo() throws Exception {
        byte[] image = randomImage(1);
        byte[] farChanged = image.clone();
        byte[] nearChanged = image.clone();
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                if (x <= 16 || y >= 67) { // a left band and a bottom band, just outside what the region sees
                    setGrey(farChanged, x, y, 255);
                }
                if (x >= 17 && x <= 27 && y >= 30 && y <= 50) { // left of the box, inside what it sees
                    setGrey(nearChanged, x, y, 255);
                }
            }
        }
        TrainerConfig settings = TrainerConfig.builder().optDevice("cpu").build();
        try (ContrastiveModel model = ContrastiveModel.create(settings, 2)) {
            assertThat(model.featureMapSize()).containsExactly(21, 21);
            float[] original = embed(model, image);
            assertThat(embed(model, farChanged)).containsExactly(original, within(1e-6f));
            float[] near = embed(model, nearChanged);
            double moved = 0;
            for (int d = 0; d < near.length; d++) {
                moved += Math.abs(near[d] - original[d]);
            }
            assertThat(moved).as("pixels next to the box change its embedding").isGreaterThan(1e-3);

            // the same region embedded beside another image's regions: each image runs through the backbone on its own
            RegionBatch.Region alone = new RegionBatch.Region(WholeImage.ofSide(image, SIDE), CENTRE);
            RegionBatch.Region other =
                    new RegionBatch.Region(WholeImage.ofSide(randomImage(2), SIDE), RegionBox.whole(SIDE));
            float[][] together = model.embedRegions(List.of(other, alone, other));
            assertThat(together[1]).containsExactly(original, within(1e-6f));
        }
    }

    private static float[] embed(ContrastiveModel model, byte[] rgb) {
        return model.embedRegions(List.of(new RegionBatch.Region(WholeImage.ofSide(rgb, SIDE), CENTRE)))[0];
    }

    private static byte[] randomImage(long seed) {
        byte[] rgb = new byte[SIDE * SIDE * 3];
        new Random(seed).nextBytes(rgb);
        return rgb;
    }

    private static void setGrey(byte[] rgb, int x, int y, int v) {
        int o = (y * SIDE + x) * 3;
        rgb[o] = (byte) v;
        rgb[o + 1] = (byte) v;
        rgb[o + 2] = (byte) v;
    }
}
