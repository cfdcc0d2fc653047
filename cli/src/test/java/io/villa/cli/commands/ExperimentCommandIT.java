package io.villa.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.villa.cli.VillaCommand;
import io.villa.report.ExperimentAnalysis;
import io.villa.report.ExperimentFile;
import io.villa.report.ExperimentReport;
import io.villa.report.ExperimentSummary;
import io.villa.report.Figures;
import io.villa.report.RunSummary;
import io.villa.report.SummaryFile;

/**
 * A two-complexity miniature of the paper's experiment, end to end through the real pipeline (embedded broker,
 * decomposition job with its online mapping model, both trainers), then resumed after one cell is taken away: only
 * that cell runs again.
 */
class ExperimentCommandIT {

    private static final Pattern FIGURE = Pattern.compile("data-figure=\"([^\"]*)\">([^<]*)<");

    @Test
    void aMiniatureExperimentRunsEveryCellAndReportsEveryFigureAndResumes(@TempDir Path out) throws Exception {
        int exit = VillaCommand.commandLine()
                .execute(
                        "experiment",
                        "complexity",
                        "--complexities",
                        "4,8",
                        "--train-budget",
                        "2000",
                        "--val-budget",
                        "600",
                        "--test-budget",
                        "400",
                        "--test-complexity",
                        "8",
                        "--passes",
                        "1",
                        "--warmup-pairs",
                        "150",
                        "--time-limit",
                        "20",
                        "--no-status",
                        "--out",
                        out.toString());

        assertThat(exit).isZero();
        ExperimentSummary summary = ExperimentFile.read(out.resolve("experiment.json"));
        assertThat(summary.stoppedEarly()).isFalse();
        assertThat(summary.cells())
                .extracting(ExperimentSummary.Cell::targetComplexity)
                .containsExactly(4, 8);
        assertThat(summary.rows()).hasSize(2);
        for (ExperimentSummary.Cell cell : summary.cells()) {
            assertThat(cell.averageComplexity()).as("reached complexity").isBetween(2.0, (double)
                    cell.targetComplexity());
            assertThat(cell.modes()).containsOnlyKeys("villa", "clip");
            cell.modes().values().forEach(m -> assertThat(m.test()).containsKeys("t2r.rprecision", "r2t.rprecision"));
            assertThat(cell.mapping()).containsKeys("precision", "recall", "f1");
            RunSummary run = SummaryFile.read(out.resolve(cell.runDir()).resolve("summary.json"));
            assertThat(run.settings())
                    .as("the shared test set")
                    .containsEntry("testComplexity", "8")
                    .containsEntry("testSeed", "1");
            assertThat(run.countsBalance())
                    .as("cell %s: %s", cell.runDir(), run.countChecks())
                    .isTrue();
        }
        assertThat(summary.cells().get(0).trainImages())
                .as("the same attribute budget makes more images at lower complexity")
                .isGreaterThan(summary.cells().get(1).trainImages());
        // every cell scores the same test regions: the shared test set
        assertThat(summary.cells())
                .extracting(c -> SummaryFile.read(out.resolve(c.runDir()).resolve("summary.json"))
                        .splitCounts()
                        .get("TEST")
                        .get("evaluableRegions"))
                .containsOnly(SummaryFile.read(
                                out.resolve(summary.cells().get(0).runDir()).resolve("summary.json"))
                        .splitCounts()
                        .get("TEST")
                        .get("evaluableRegions"));
        int checked = assertEveryFigureIsTheJsons(out);
        assertThat(checked).as("figures on the page").isGreaterThan(40);
        String html = Files.readString(out.resolve("report.html"));
        assertThat(html)
                .contains("c4-s42/report.html")
                .contains("c8-s42/report.html")
                .contains("<img");

        // take the second cell away, as if the run had been cut short during it: resuming runs that cell only
        ExperimentSummary cut = ExperimentAnalysis.summarize(
                summary.started(),
                summary.wallSeconds(),
                true,
                summary.settings(),
                List.of(summary.cells().get(0)));
        ExperimentReport.write(out, cut);
        Path firstCell = out.resolve(summary.cells().get(0).runDir()).resolve("summary.json");
        FileTime before = Files.getLastModifiedTime(firstCell);

        exit = VillaCommand.commandLine()
                .execute("experiment", "complexity", "--resume", out.toString(), "--time-limit", "20", "--no-status");

        assertThat(exit).isZero();
        ExperimentSummary resumed = ExperimentFile.read(out.resolve("experiment.json"));
        assertThat(resumed.stoppedEarly()).isFalse();
        assertThat(resumed.cells())
                .extracting(ExperimentSummary.Cell::targetComplexity)
                .containsExactly(4, 8);
        assertThat(resumed.cells().get(0))
                .as("the finished cell is kept as it was")
                .isEqualTo(summary.cells().get(0));
        assertThat(Files.getLastModifiedTime(firstCell)).as("and not run again").isEqualTo(before);
        assertThat(resumed.started()).isEqualTo(summary.started());
        assertEveryFigureIsTheJsons(out);
    }

    @Test
    void badOptionsAreUsageErrors(@TempDir Path out) {
        assertThat(VillaCommand.commandLine()
                        .execute("experiment", "complexity", "--complexities", "2,8", "--out", out.toString()))
                .as("complexity 2 is below DocMNIST's 4: a usage error")
                .isEqualTo(2);
        assertThat(VillaCommand.commandLine()
                        .execute("experiment", "complexity", "--profile", "huge", "--out", out.toString()))
                .isEqualTo(2);
        assertThat(VillaCommand.commandLine()
                        .execute(
                                "experiment",
                                "complexity",
                                "--resume",
                                out.resolve("none").toString()))
                .as("nothing to resume")
                .isNotZero();
    }

    /** @return how many figures the page prints */
    private static int assertEveryFigureIsTheJsons(Path out) throws Exception {
        JsonNode json =
                new ObjectMapper().readTree(out.resolve("experiment.json").toFile());
        Matcher m = FIGURE.matcher(Files.readString(out.resolve("report.html")));
        int count = 0;
        while (m.find()) {
            JsonNode node = json.at(m.group(1));
            assertThat(node.isNumber())
                    .as("%s is a number in experiment.json", m.group(1))
                    .isTrue();
            String key = m.group(1).substring(m.group(1).lastIndexOf('/') + 1);
            assertThat(m.group(2)).as(m.group(1)).isEqualTo(Figures.format(key, node.numberValue()));
            count++;
        }
        return count;
    }
}
