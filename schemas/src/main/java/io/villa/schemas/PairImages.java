package io.villa.schemas;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import javax.imageio.ImageIO;

import io.villa.records.ImageReportPair;

/** The pixels of an {@link ImageReportPair}'s image, for the tools that draw or cut it (contact sheets, the oracle). */
public final class PairImages {

    private PairImages() {}

    /**
     * The pair's image decoded; its buffer is left as it was.
     *
     * @throws IllegalArgumentException naming the pair when its bytes are no image ImageIO reads (PNG, JPEG)
     */
    public static BufferedImage decode(ImageReportPair pair) {
        try {
            BufferedImage image = ImageIO.read(
                    new ByteArrayInputStream(AvroBytes.copyOf(pair.getImage().getData())));
            if (image == null) {
                throw new IllegalArgumentException(pair.getPairId() + ": image is not PNG or JPEG");
            }
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException(pair.getPairId() + ": image cannot be read", e);
        }
    }
}
