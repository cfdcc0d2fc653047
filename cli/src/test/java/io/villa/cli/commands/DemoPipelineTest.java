package io.villa.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.villa.cli.VillaCommand;

/**
 * The whole system on a small DocMNIST stream: embedded broker, producer, the decomposition job in a
 * MiniCluster (real mapping model), then the trainer on its output. Retrieval on validation regions must
 * beat random ranking clearly.
 */
class DemoPipelineTest {

    private static final Pattern MACRO = Pattern.compile("MACRO\\s+([0-9.]+)");
    private static final Pattern CHANCE = Pattern.compile("chance \\(random ranking\\): t2r R-P ([0-9.]+)");

    @Test
    void brokerDecompositionAndTrainerTogetherLearnRegionRetrieval(@TempDir Path out) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int exit;
        try (PrintStream tee = new PrintStream(new TeeStream(original, captured), true, StandardCharsets.UTF_8)) {
            System.setOut(tee);
            exit = VillaCommand.commandLine().execute("demo", "--complexity", "8", "--train-budget", "6000",
                    "--val-budget", "1500", "--test-budget", "500", "--warmup-pairs", "200", "--train-steps", "150",
                    "--out", out.toString());
        } finally {
            System.setOut(original);
        }
        String printed = captured.toString(StandardCharsets.UTF_8);

        assertThat(exit).isZero();
        Matcher macro = MACRO.matcher(printed);
        Matcher chance = CHANCE.matcher(printed);
        assertThat(macro.find()).as("the trainer printed its validation table").isTrue();
        assertThat(chance.find()).isTrue();
        double textToRegion = Double.parseDouble(macro.group(1));
        double random = Double.parseDouble(chance.group(1));
        assertThat(textToRegion).as("validation text->region R-precision vs random ranking").isGreaterThan(random + 0.1);
        assertThat(out.resolve("trainer")).isDirectoryContaining(p -> p.getFileName().toString().startsWith("ckpt-"));
    }

    /** Writes to the console and to a buffer. */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int value) throws java.io.IOException {
            a.write(value);
            b.write(value);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws java.io.IOException {
            a.write(bytes, offset, length);
            b.write(bytes, offset, length);
        }
    }
}
