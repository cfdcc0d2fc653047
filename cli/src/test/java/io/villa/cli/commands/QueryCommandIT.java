package io.villa.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.villa.cli.VillaCommand;
import io.villa.trainer.bench.SyntheticPairs;
import io.villa.trainer.checkpoint.CheckpointState;
import io.villa.trainer.checkpoint.CheckpointStore;
import io.villa.trainer.config.TrainerConfig;
import io.villa.trainer.data.Example;
import io.villa.trainer.model.ContrastiveModel;
import io.villa.trainer.service.TrainingListener;
import io.villa.trainer.train.MemoryTraining;

/** villa query on a real (briefly trained) checkpoint: the cell with the named colour ranks first. */
class QueryCommandIT {

    @Test
    void ranksTheMatchingCellFirst(@TempDir Path dir) throws Exception {
        TrainerConfig settings =
                TrainerConfig.builder().optBatchSize(32).optDevice("cpu").build();
        List<Example> data = SyntheticPairs.make(32 * 60, settings.imageSize(), 1);
        Path checkpoint;
        try (ContrastiveModel model = ContrastiveModel.create(settings, 2)) {
            MemoryTraining.run(model, data, 60, 1, TrainingListener.NONE);
            checkpoint = new CheckpointStore(dir.resolve("ckpt"), 1)
                    .save(model, new CheckpointState(60, 60 * 32, 60 * 32, Map.of(), 0.1, Map.of(), 0L));
        }
        // a 3x3 image: a blue block in cell 1, a red block in cell 5 (row 1, column 2), the rest black
        BufferedImage image = new BufferedImage(84, 84, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(40, 60, 230));
        g.fillRect(28, 0, 14, 14);
        g.setColor(new Color(230, 40, 40));
        g.fillRect(56, 28, 14, 14);
        g.dispose();
        Path file = dir.resolve("image.png");
        ImageIO.write(image, "png", file.toFile());

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exit;
        try {
            System.setOut(new PrintStream(out, true));
            exit = VillaCommand.commandLine()
                    .execute(
                            "query",
                            "--checkpoint",
                            checkpoint.toString(),
                            "--image",
                            file.toString(),
                            "--text",
                            "the color is red",
                            "--device",
                            "cpu");
        } finally {
            System.setOut(original);
        }
        String[] lines = out.toString().trim().split("\n");
        assertThat(exit).isZero();
        assertThat(lines).hasSize(10); // header + 9 cells
        assertThat(lines[1].trim().split("\\s+")[1])
                .as("best region of:\n%s", out)
                .isEqualTo("5");
    }
}
