package io.villa.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.villa.cli.VillaCommand;
import io.villa.trainer.checkpoint.CheckpointState;
import io.villa.trainer.checkpoint.CheckpointStore;
import io.villa.trainer.config.TrainerConfig;
import io.villa.trainer.model.ContrastiveModel;

/** villa eval on a saved checkpoint over a small DocMNIST validation split (real MNIST, no Kafka). */
class EvalCommandTest {

    @Test
    void printsTheRetrievalTableOfTheSplit(@TempDir Path dir) throws Exception {
        Path checkpoint;
        try (ContrastiveModel model =
                ContrastiveModel.create(TrainerConfig.builder().optDevice("cpu").build(), 2)) {
            checkpoint =
                    new CheckpointStore(dir, 1).save(model, new CheckpointState(1, 0, 0, Map.of(), 1.0, Map.of(), 0L));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exit;
        try {
            System.setOut(new PrintStream(out, true));
            exit = VillaCommand.commandLine()
                    .execute(
                            "eval",
                            "--checkpoint",
                            checkpoint.toString(),
                            "--split",
                            "val",
                            "--budget",
                            "400",
                            "--complexity",
                            "8",
                            "--device",
                            "cpu",
                            "--threads",
                            "2");
        } finally {
            System.setOut(original);
        }
        String text = out.toString();
        assertThat(exit).as(text).isZero();
        assertThat(text).contains("val split, budget 400").contains("MACRO").contains("chance (random ranking)");
        // every one of the 20 attribute words has a row
        for (String attribute :
                new String[] {"zero", "nine", "red", "purple", "circle", "rectangle", "small", "large"}) {
            assertThat(text).containsPattern("(?m)^" + attribute + "\\s");
        }
        assertThat(VillaCommand.commandLine()
                        .execute("eval", "--checkpoint", checkpoint.toString(), "--split", "train"))
                .as("the training split is refused")
                .isEqualTo(2);
    }
}
