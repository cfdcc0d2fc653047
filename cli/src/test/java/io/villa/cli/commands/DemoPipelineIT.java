package io.villa.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.villa.cli.VillaCommand;
import io.villa.report.RunSummary;
import io.villa.report.SummaryFile;

/**
 * The whole system on a small DocMNIST stream, both modes side by side: embedded broker, producer, the
 * decomposition job in a MiniCluster (real mapping model) and two real trainers on its output. The run
 * must end by itself, write summary.json and report.html, and the villa model's validation retrieval must
 * beat random ranking clearly. A run too big for its time limit ends at the limit, with its report.
 */
class DemoPipelineIT {

    @Test
    void oneCommandRunsTheSystemAndReportsEveryFigure(@TempDir Path out) throws Exception {
        int exit = VillaCommand.commandLine()
                .execute(
                        "demo",
                        "--mode",
                        "both",
                        "--complexity",
                        "8",
                        "--train-budget",
                        "6000",
                        "--val-budget",
                        "1500",
                        "--test-budget",
                        "800",
                        "--warmup-pairs",
                        "200",
                        "--eval-every",
                        "20",
                        "--passes",
                        "2",
                        "--no-status",
                        "--out",
                        out.toString());

        assertThat(exit).isZero();
        RunSummary summary = SummaryFile.read(out.resolve("summary.json"));
        assertThat(summary.stoppedEarly()).isFalse();
        Map<String, Long> counts = summary.counts();
        assertThat(counts.get("pairsProduced"))
                .as("what the producer says it sent")
                .isEqualTo(counts.get("pairsSentByProducer"))
                .isPositive();
        assertThat(counts.get("pairsDecomposed") + counts.get("pairsDeadLettered"))
                .as("produced = decomposed + dead-lettered")
                .isEqualTo(counts.get("pairsProduced"));
        assertThat(counts.get("pairsUnaccounted")).isZero();
        assertThat(counts.get("pairsCountedTwice")).isZero();
        assertThat(summary.countsBalance())
                .as("checks: %s", summary.countChecks())
                .isTrue();
        assertThat(summary.countChecks())
                .as("sent, pairs, lost, doubled, unread, and val + test for each of two trainers")
                .hasSize(9)
                .allMatch(RunSummary.CountCheck::holds);
        Map<String, Long> test = summary.splitCounts().get("TEST");
        assertThat(test.get("pairsProduced")).isPositive();
        assertThat(test.get("pairsDecomposed") + test.get("pairsDeadLettered"))
                .as("every test image")
                .isEqualTo(test.get("pairsProduced"));
        for (RunSummary.ModelSummary m : summary.models()) {
            assertThat(m.evaluatedRegions())
                    .as(m.modelId() + " evaluated every held-out region that was decomposed")
                    .containsEntry("VAL", summary.splitCounts().get("VAL").get("evaluableRegions"))
                    .containsEntry("TEST", test.get("evaluableRegions"));
        }
        assertThat(test.get("evaluableRegions")).isGreaterThan(test.get("pairsDecomposed"));
        // "assign every report attribute to every region" scores about 0.66 at complexity 8: the model must beat it
        assertThat(summary.mapping().quality().get("TRAIN").get("f1"))
                .as("mapping F1 on train pairs")
                .isGreaterThan(0.75);
        assertThat(summary.mapping().f1Curves().get("TRAIN")).hasSizeGreaterThan(2);
        assertThat(summary.models()).extracting(RunSummary.ModelSummary::mode).containsExactly("villa", "clip");

        RunSummary.ModelSummary villa = summary.models().get(0);
        Map<String, Double> val = villa.validation();
        assertThat(val.get("t2r.rprecision"))
                .as("villa validation text->region R-precision vs random ranking")
                .isGreaterThan(val.get("t2r.rprecision.chance") + 0.1);
        assertThat(villa.test()).containsKey("t2r.rprecision");
        assertThat(villa.lossCurve()).hasSizeGreaterThan(2);
        assertThat(villa.retrievalCurves().get("t2r.rprecision")).isNotEmpty();
        assertThat(summary.models().get(1).steps())
                .as("the clip trainer learned from whole images")
                .isPositive();
        assertThat(summary.models())
                .as("equal budgets: both modes make the same passes over the same pairs")
                .allSatisfy(m -> {
                    assertThat(m.passes()).isEqualTo(2);
                    assertThat(m.bestPass()).isBetween(1, 2);
                });

        String html = Files.readString(out.resolve("report.html"));
        assertThat(html).contains("villa").contains("clip").contains("<img");
        assertThat(out.resolve("demo.log")).isNotEmptyFile();
        assertThat(out.resolve("trainer-villa"))
                .isDirectoryContaining(p -> p.getFileName().toString().startsWith("ckpt-"));
    }

    @Test
    void theTimeLimitEndsARunThatWouldGoOnAndStillReports(@TempDir Path out) throws Exception {
        long started = System.nanoTime();
        int exit = VillaCommand.commandLine()
                .execute(
                        "demo",
                        "--mode",
                        "villa",
                        "--complexity",
                        "8",
                        "--train-budget",
                        "40000",
                        "--val-budget",
                        "800",
                        "--test-budget",
                        "400",
                        "--warmup-pairs",
                        "200",
                        "--time-limit",
                        "0.75",
                        "--no-status",
                        "--out",
                        out.toString());
        double minutes = (System.nanoTime() - started) / 60e9;

        assertThat(exit).isZero();
        assertThat(minutes)
                .as("stopped at the limit, plus the trainer's final evaluation")
                .isLessThan(3.0);
        RunSummary summary = SummaryFile.read(out.resolve("summary.json"));
        assertThat(summary.stoppedEarly()).isTrue();
        Map<String, Long> counts = summary.counts();
        assertThat(counts.get("pairsDecomposed")).as("the job was cut short").isLessThan(counts.get("pairsProduced"));
        assertThat(counts.get("pairsDecomposed") + counts.get("pairsDeadLettered") + counts.get("pairsUnaccounted"))
                .as("produced = decomposed + dead-lettered + never processed")
                .isEqualTo(counts.get("pairsProduced"));
        assertThat(counts.get("pairsUnaccounted")).isPositive();
        assertThat(counts.get("pairsCountedTwice")).isZero();
        assertThat(summary.countsBalance())
                .as("a run cut short does not claim to balance")
                .isFalse();
        assertThat(out.resolve("report.html")).isNotEmptyFile();
    }
}
