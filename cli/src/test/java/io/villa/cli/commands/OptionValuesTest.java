package io.villa.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.villa.cli.VillaCommand;
import io.villa.flink.operators.Grid;
import io.villa.records.Split;
import io.villa.trainer.config.LostOffsetPolicy;
import io.villa.trainer.config.TrainingMode;
import picocli.CommandLine;

/**
 * Options that take a fixed set or a typed value are checked by picocli when the command line is parsed: a bad value is
 * a usage error (exit 2, the message names the option, the usage follows), before anything starts; good values in any
 * case still parse as before.
 */
class OptionValuesTest {

    private final StringWriter err = new StringWriter();

    private int villa(String... args) {
        err.getBuffer().setLength(0);
        CommandLine villa = VillaCommand.commandLine();
        villa.setOut(new PrintWriter(new StringWriter(), true));
        villa.setErr(new PrintWriter(err, true));
        return villa.execute(args);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "--mode            | train --mode siglip",
                "--on-lost-offsets | train --on-lost-offsets reset",
                "--device          | train --device tpu",
                "--split           | eval --checkpoint ckpt --split holdout",
                "--device          | eval --checkpoint ckpt --device gpu:one",
                "--grid            | query --grid 0",
                "--grid            | query --grid three",
                "--device          | query --device cuda:x",
                "--mode            | demo --mode all",
                "--grid            | decompose --grid 3by3",
            })
    void aBadValueIsAUsageErrorNamingTheOption(String option, String commandLine) {
        String[] args = commandLine.split(" ");
        assertThat(villa(args)).isEqualTo(2);
        assertThat(err.toString())
                .contains("Invalid value for option '" + option + "'")
                .contains("Usage: villa " + args[0]);
    }

    @Test
    void aMalformedDecomposeGridSaysWhatItShouldLookLike() {
        assertThat(villa("decompose", "--grid", "3by3")).isEqualTo(2);
        assertThat(err.toString()).contains("3x3 (ROWSxCOLS)");
    }

    @Test
    void theAcceptedValuesAreTheDocumentedOnesInAnyCase() {
        TrainCommand train = parsed("train", "--mode", "CLIP", "--on-lost-offsets", "skip", "--device", "gpu:1");
        assertThat(train.mode).isEqualTo(TrainingMode.CLIP);
        assertThat(train.onLostOffsets).isEqualTo(LostOffsetPolicy.SKIP);
        assertThat(train.device).isEqualTo("gpu:1");
        TrainCommand defaults = parsed("train");
        assertThat(defaults.mode).isEqualTo(TrainingMode.VILLA);
        assertThat(defaults.onLostOffsets).isEqualTo(LostOffsetPolicy.FAIL);
        assertThat(defaults.device).isNull();
        for (String device : new String[] {"auto", "cpu", "CPU", "gpu", "gpu:0", "cuda", "cuda:2"}) {
            assertThat(((EvalCommand) parsed("eval", "--checkpoint", "c", "--device", device)).device)
                    .isEqualTo(device);
        }
        assertThat(((EvalCommand) parsed("eval", "--checkpoint", "c")).split).isEqualTo(Split.VAL);
        assertThat(((EvalCommand) parsed("eval", "--checkpoint", "c", "--split", "TEST")).split)
                .isEqualTo(Split.TEST);
        assertThat(((DemoCommand) parsed("demo")).mode.trainerModes()).containsExactly("villa", "clip");
        assertThat(((DemoCommand) parsed("demo", "--mode", "Clip")).mode.trainerModes())
                .containsExactly("clip");
        assertThat(((DecomposeCommand) parsed("decompose")).options.grid).isEqualTo(new Grid(3, 3));
        assertThat(((DecomposeCommand) parsed("decompose", "--grid", "2X4")).options.grid)
                .isEqualTo(new Grid(2, 4));
    }

    @SuppressWarnings("unchecked")
    private static <T> T parsed(String... args) {
        CommandLine.ParseResult result = VillaCommand.commandLine().parseArgs(args);
        return (T) result.subcommand().commandSpec().userObject();
    }
}
