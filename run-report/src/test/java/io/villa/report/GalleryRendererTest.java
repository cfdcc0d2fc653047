package io.villa.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class GalleryRendererTest {

    @Test
    void aRegionKnowsWhatWasCorrectWrongAndMissed() {
        GalleryImage.Region region = Fixtures.galleryImage("p").regions().get(1);   // assigned two, circle; true two, yellow

        assertThat(region.correct()).containsExactly("two");
        assertThat(region.wrong()).containsExactly("circle");
        assertThat(region.missed()).containsExactly("yellow");

        GalleryImage.Region noTruth = new GalleryImage.Region(1, Fixtures.cell(1), List.of("red"), null, Map.of());
        assertThat(noTruth.hasGroundTruth()).isFalse();
        assertThat(noTruth.correct()).isEmpty();
        assertThat(noTruth.wrong()).isEmpty();
        assertThat(noTruth.missed()).isEmpty();
    }

    @Test
    void theImageIsEnlargedWithBoxesAndColouredCaptions() {
        GalleryImage image = Fixtures.galleryImage("pair-1");

        BufferedImage drawn = Fixtures.decode(GalleryRenderer.render(image));

        assertThat(drawn).isNotNull();
        assertThat(drawn.getWidth()).isGreaterThanOrEqualTo(84 * GalleryRenderer.SCALE);
        assertThat(drawn.getHeight()).as("captions below the image").isGreaterThan(84 * GalleryRenderer.SCALE + 40);
        // the source's red block (cell 0, 12x16 px) is there, three times larger, with hard edges (nearest neighbour)
        assertThat(count(drawn, Color.RED, 0)).isEqualTo(12 * 16 * GalleryRenderer.SCALE * GalleryRenderer.SCALE);
        assertThat(count(drawn, GalleryRenderer.CORRECT, 60)).as("a correct attribute").isPositive();
        assertThat(count(drawn, GalleryRenderer.WRONG, 0)).as("a wrong attribute, struck through").isPositive();
        assertThat(count(drawn, GalleryRenderer.MISSED, 60)).as("a missed attribute").isPositive();
    }

    @Test
    void withoutGroundTruthNothingIsMarkedWrong() {
        GalleryImage image = new GalleryImage("p", "TEST", Fixtures.png(2), 84, 84,
                List.of(new GalleryImage.Region(2, Fixtures.cell(2), List.of("nine", "blue"), null, Map.of())));

        BufferedImage drawn = Fixtures.decode(GalleryRenderer.render(image));

        assertThat(count(drawn, GalleryRenderer.WRONG, 0)).isZero();
        assertThat(count(drawn, GalleryRenderer.CORRECT, 10)).isZero();
    }

    @Test
    void bytesThatAreNoImageAreAClearError() {
        GalleryImage broken = new GalleryImage("broken-pair", "TEST", new byte[] {1, 2, 3}, 84, 84, List.of());

        assertThatThrownBy(() -> GalleryRenderer.render(broken)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("broken-pair");
    }

    /** Pixels within {@code tolerance} (per channel) of {@code colour}. */
    private static int count(BufferedImage image, Color colour, int tolerance) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                Color c = new Color(image.getRGB(x, y));
                if (Math.abs(c.getRed() - colour.getRed()) <= tolerance && Math.abs(c.getGreen() - colour.getGreen()) <= tolerance
                        && Math.abs(c.getBlue() - colour.getBlue()) <= tolerance) {
                    n++;
                }
            }
        }
        return n;
    }
}
