package io.villa.trainer.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.Random;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

class ImageDecoderTest {

    @Test
    void anRgbPngAtTheTowersSizeComesBackPixelForPixel() throws Exception {
        BufferedImage image = new BufferedImage(84, 84, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(3);
        for (int y = 0; y < 84; y++) {
            for (int x = 0; x < 84; x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        WholeImage decoded = ImageDecoder.decode(png(image), 84, 4096);
        assertThat(decoded.side()).isEqualTo(84);
        for (int y = 0; y < 84; y++) {
            for (int x = 0; x < 84; x++) {
                int p = image.getRGB(x, y);
                int o = (y * 84 + x) * 3;
                assertThat(new int[] {decoded.rgb()[o] & 0xff, decoded.rgb()[o + 1] & 0xff, decoded.rgb()[o + 2] & 0xff})
                        .as("pixel %d,%d", x, y).containsExactly((p >> 16) & 0xff, (p >> 8) & 0xff, p & 0xff);
            }
        }
    }

    @Test
    void anotherSizeIsResizedAndRemembersItsSourceSize() throws Exception {
        BufferedImage image = new BufferedImage(168, 120, BufferedImage.TYPE_INT_RGB);
        WholeImage decoded = ImageDecoder.decode(png(image), 84, 4096);
        assertThat(decoded.rgb()).hasSize(84 * 84 * 3);
        assertThat(decoded.sourceWidth()).isEqualTo(168);
        assertThat(decoded.sourceHeight()).isEqualTo(120);
        assertThatThrownBy(() -> ImageDecoder.decode(png(image), 84, 100)).isInstanceOf(ImageDecoder.ImageTooLargeException.class)
                .hasMessageContaining("168 x 120");
    }

    private static byte[] png(BufferedImage image) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
