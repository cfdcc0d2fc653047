package io.villa.report;

import static io.villa.report.ExperimentFixtures.Retrieval;
import static io.villa.report.ExperimentFixtures.cell;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.villa.report.ExperimentSummary.Cell;

class ExperimentFileTest {

    /** A strict reader: standard JSON only, as a browser or Python would read it. */
    private static final ObjectMapper STRICT = new ObjectMapper();

    @Test
    void anExperimentReadsBackAsItWasWrittenAndRewritingReplacesIt(@TempDir Path dir) throws Exception {
        ExperimentSummary summary = ExperimentFixtures.summary(ExperimentFixtures.holding());
        Path file = dir.resolve(ExperimentFile.FILE_NAME);

        ExperimentFile.write(file, ExperimentFixtures.summary(ExperimentFixtures.holding().subList(0, 2)));
        ExperimentFile.write(file, summary);   // as after the next cell
        ExperimentSummary read = ExperimentFile.read(file);

        assertThat(read).isEqualTo(summary);
        assertThat(read.cells().get(0).modes().get("villa").test()).containsExactlyEntriesOf(
                summary.cells().get(0).modes().get("villa").test());   // order kept
        assertThat(Files.readString(file)).as("pretty-printed").contains("\n  \"started\" : \"2025-06-02T08:00:00Z\"");
        assertThat(dir.toFile().list()).as("no temporary file left behind").containsExactly(ExperimentFile.FILE_NAME);
    }

    @Test
    void notANumberIsNullAsAScalarAndDroppedFromAMap(@TempDir Path dir) throws Exception {
        Cell cell = cell(8, 1, new Retrieval(0.5, 0.4, 0.3, 0.2));
        cell.modes().get("clip").test().put("t2r.map", Double.NaN);
        cell.mapping().put("f1", Double.POSITIVE_INFINITY);
        ExperimentSummary oneRow = ExperimentAnalysis.summarize("s", Double.NaN, true, null, List.of(cell));
        Path file = dir.resolve(ExperimentFile.FILE_NAME);

        ExperimentFile.write(file, oneRow);

        String json = Files.readString(file);
        assertThat(json).doesNotContain("NaN").doesNotContain("Infinity");
        JsonNode tree = STRICT.readTree(json);
        assertThat(tree.get("wallSeconds").isNull()).isTrue();
        assertThat(tree.at("/shape/clipT2rFallPercent").isNull()).as("the shape cannot be judged on one row").isTrue();
        assertThat(tree.at("/cells/0/modes/clip/test").has("t2r.map")).isFalse();
        assertThat(tree.at("/cells/0/modes/clip/test").has("t2r.rprecision")).isTrue();
        assertThat(tree.at("/cells/0/mapping").has("f1")).isFalse();
        assertThat(tree.at("/rows/0/mapping/f1/n").asInt()).as("no finite f1 measured").isZero();
        assertThat(tree.at("/rows/0/mapping/f1/mean").isNull()).isTrue();

        ExperimentSummary read = ExperimentFile.read(file);
        assertThat(read.wallSeconds()).isNaN();
        assertThat(read.shape().clipT2rFallPercent()).isNaN();
        assertThat(read.rows().get(0).mapping().get("f1").mean()).isNaN();
        assertThat(read).isEqualTo(ExperimentFile.finite(oneRow));
        assertThat(read.stoppedEarly()).isTrue();
        assertThat(read.settings()).isEmpty();
    }

    @Test
    void readingIsLenientAboutMissingPartsAndNewFields() throws Exception {
        String json = """
                {"started":"s","stoppedEarly":false,"futureField":1,
                 "cells":[{"targetComplexity":4,"seed":1,"runDir":"c","modes":{"clip":{"steps":3,"test":{"t2r.map":NaN}}}}]}
                """;

        ExperimentSummary read = ExperimentFile.fromJson(json);

        assertThat(read.wallSeconds()).isNaN();
        assertThat(read.rows()).isEmpty();
        assertThat(read.paper()).isEqualTo(ExperimentSummary.Paper.figures());
        assertThat(read.cells().get(0).averageComplexity()).isNaN();
        assertThat(read.cells().get(0).mapping()).isEmpty();
        assertThat(read.cells().get(0).modes().get("clip").test()).isEmpty();
    }
}
