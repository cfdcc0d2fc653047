package io.villa.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import io.villa.records.Image;
import io.villa.records.ImageFormat;
import io.villa.records.ImageReportPair;

class PairImagesTest {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    @Test
    void aPngDecodesToItsPixelsAndTheBufferStaysReadable() throws Exception {
        BufferedImage drawn = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        drawn.setRGB(2, 1, 0x00FF00);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(drawn, "png", png);
        ImageReportPair pair = withImage(png.toByteArray());

        BufferedImage image = PairImages.decode(pair);

        assertThat(image.getWidth()).isEqualTo(3);
        assertThat(image.getHeight()).isEqualTo(2);
        assertThat(image.getRGB(2, 1) & 0xFFFFFF).isEqualTo(0x00FF00);
        assertThat(pair.getImage().getData().remaining()).isEqualTo(png.size());
    }

    @Test
    void bytesThatAreNoImageAreRefusedNamingThePair() {
        ImageReportPair pair = withImage(new byte[] {1, 2, 3, 4});

        assertThatThrownBy(() -> PairImages.decode(pair))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(pair.getPairId() + ": image is not PNG or JPEG");
    }

    private static ImageReportPair withImage(byte[] bytes) {
        return ImageReportPair.newBuilder(SampleRecords.imageReportPair())
                .setImage(new Image(ByteBuffer.wrap(bytes), ImageFormat.PNG, 3, 2))
                .build();
    }
}
