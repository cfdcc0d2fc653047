package io.villa.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;

import org.junit.jupiter.api.Test;

class SquareRgbTest {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    @Test
    void anImageOfTheRightSizeAndTypeIsTakenAsItIs() {
        BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);

        assertThat(SquareRgb.of(image, 8)).isSameAs(image);
    }

    @Test
    void aGreyImageOfTheRightSizeBecomesRgbWithTheSamePixels() {
        BufferedImage grey = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(1, 0, 0, 200);

        BufferedImage rgb = SquareRgb.of(grey, 2);

        assertThat(rgb.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
        assertThat(rgb.getRGB(1, 0) & 0xFFFFFF).isEqualTo(0xC8C8C8);
        assertThat(rgb.getRGB(0, 0) & 0xFFFFFF).isZero();
    }

    @Test
    void aRectangleIsStretchedToTheSquare() {
        BufferedImage wide = new BufferedImage(4, 2, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 4; x++) {
                wide.setRGB(x, y, x < 2 ? 0xFF0000 : 0x0000FF);
            }
        }

        BufferedImage square = SquareRgb.of(wide, 6);

        assertThat(square.getWidth()).isEqualTo(6);
        assertThat(square.getHeight()).isEqualTo(6);
        assertThat(square.getRGB(0, 5) & 0xFFFFFF).isEqualTo(0xFF0000); // left half stays red
        assertThat(square.getRGB(5, 0) & 0xFFFFFF).isEqualTo(0x0000FF); // right half stays blue
    }

    @Test
    void aSideBelowOneIsRefusedByName() {
        BufferedImage image = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);

        assertThatThrownBy(() -> SquareRgb.of(image, 0)).hasMessage("side: 0 is below 1");
    }
}
