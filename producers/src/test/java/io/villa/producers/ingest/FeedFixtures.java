package io.villa.producers.ingest;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

/** Writes small real image files of every supported kind (and some broken ones) for the ingest tests. */
public final class FeedFixtures {

    private FeedFixtures() {
    }

    public static BufferedImage gradient(int width, int height, int type) {
        BufferedImage image = new BufferedImage(width, height, type);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (type == BufferedImage.TYPE_USHORT_GRAY) {
                    image.getRaster().setSample(x, y, 0, (x * 65535 / Math.max(1, width - 1)));
                } else {
                    image.setRGB(x, y, (x * 255 / Math.max(1, width - 1)) << 16 | (y * 255 / Math.max(1, height - 1)) << 8 | 0x40);
                }
            }
        }
        return image;
    }

    public static Path write(Path file, BufferedImage image, String format) throws IOException {
        Files.createDirectories(file.getParent());
        if (!ImageIO.write(image, format, file.toFile())) {
            throw new IOException("no writer for " + format);
        }
        return file;
    }

    /**
     * A folder with 5 good pairs (8-bit grey, 16-bit grey, RGB PNG, RGB JPEG, a large image in a sub-folder) and
     * 4 broken inputs: an undecodable image, an image without a report, an empty report, a report without an image.
     */
    public static void goodAndBrokenFolder(Path dir) throws IOException {
        pair(dir, "grey8", gradient(64, 48, BufferedImage.TYPE_BYTE_GRAY), "png", "the lungs are clear");
        pair(dir, "grey16", gradient(60, 40, BufferedImage.TYPE_USHORT_GRAY), "png", "there is an opacity in the left lower lobe");
        pair(dir, "rgb", gradient(50, 50, BufferedImage.TYPE_INT_RGB), "png", "the heart size is normal");
        pair(dir, "photo", gradient(80, 60, BufferedImage.TYPE_INT_RGB), "jpg", "no pleural effusion");
        pair(dir.resolve("big"), "xray", gradient(600, 300, BufferedImage.TYPE_USHORT_GRAY), "png", "a large image . two findings");
        Files.write(dir.resolve("garbage.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 1, 2, 3, 4, 5});
        Files.writeString(dir.resolve("garbage.txt"), "report of a broken image");
        write(dir.resolve("lonely.png"), gradient(20, 20, BufferedImage.TYPE_BYTE_GRAY), "png");
        write(dir.resolve("blank.png"), gradient(20, 20, BufferedImage.TYPE_BYTE_GRAY), "png");
        Files.writeString(dir.resolve("blank.txt"), "  \n ");
        Files.writeString(dir.resolve("orphan.txt"), "a report without its image");
    }

    private static void pair(Path dir, String stem, BufferedImage image, String format, String report) throws IOException {
        write(dir.resolve(stem + "." + format), image, format.equals("jpg") ? "jpeg" : format);
        Files.writeString(dir.resolve(stem + ".txt"), report);
    }
}
