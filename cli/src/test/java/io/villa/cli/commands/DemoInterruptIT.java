package io.villa.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.villa.cli.VillaCommand;
import io.villa.report.RunSummary;
import io.villa.report.SummaryFile;

/**
 * Ctrl-C in the middle of a demo: the demo runs as its own JVM, the way a user starts it, and is sent
 * SIGTERM (what the JVM treats like Ctrl-C's SIGINT: shutdown hooks run) while it decomposes. It must
 * still write summary.json, marked as stopped early, and report.html.
 */
class DemoInterruptIT {

    @Test
    void stoppingTheDemoStillWritesTheReport(@TempDir Path out) throws Exception {
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx3g",
                "-Dai.djl.offline=true",
                "-cp",
                System.getProperty("java.class.path"),
                VillaCommand.class.getName(),
                "demo",
                "--mode",
                "villa",
                "--complexity",
                "8",
                "--train-budget",
                "20000",
                "--val-budget",
                "1000",
                "--test-budget",
                "500",
                "--warmup-pairs",
                "200",
                "--no-status",
                "--out",
                out.toString());
        Process demo = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> output = Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(
                () -> new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))
                        .lines()
                        .forEach(output::add));
        reader.setDaemon(true);
        reader.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (System.nanoTime() < deadline && demo.isAlive() && !decomposing(output)) {
                Thread.sleep(500);
            }
            assertThat(decomposing(output))
                    .as("the demo reached the decomposition stage; output:%n%s", String.join("\n", output))
                    .isTrue();
            Thread.sleep(5_000);
            demo.destroy(); // SIGTERM
            assertThat(demo.waitFor(4, TimeUnit.MINUTES))
                    .as("the demo ended after the signal")
                    .isTrue();
        } finally {
            demo.destroyForcibly();
        }
        reader.join(5_000);

        assertThat(out.resolve("summary.json"))
                .as("output:%n%s", String.join("\n", output))
                .isNotEmptyFile();
        RunSummary summary = SummaryFile.read(out.resolve("summary.json"));
        assertThat(summary.stoppedEarly()).isTrue();
        assertThat(summary.counts().get("pairsProduced")).isPositive();
        assertThat(summary.counts().get("pairsDecomposed")
                        + summary.counts().get("pairsDeadLettered")
                        + summary.counts().get("pairsUnaccounted"))
                .as("every produced pair is in the counts")
                .isEqualTo(summary.counts().get("pairsProduced"));
        assertThat(summary.countChecks()).isNotEmpty();
        assertThat(summary.models()).hasSize(1);
        assertThat(Files.readString(out.resolve("report.html"))).contains("<html");
    }

    private static boolean decomposing(List<String> output) {
        synchronized (output) {
            return output.stream().anyMatch(l -> l.contains("villa demo | decomposing"));
        }
    }
}
