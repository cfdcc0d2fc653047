package io.villa.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class SummaryFileTest {

    /** A strict reader: standard JSON only, as a browser or Python would read it. */
    private static final ObjectMapper STRICT = new ObjectMapper();

    @Test
    void aSummaryReadsBackAsItWasWritten(@TempDir Path dir) throws Exception {
        RunSummary summary = Fixtures.twoModels();
        Path file = dir.resolve("summary.json");

        SummaryFile.write(file, summary);
        RunSummary read = SummaryFile.read(file);

        assertThat(read).isEqualTo(summary);
        assertThat(read.models().get(1).test())
                .containsExactlyEntriesOf(summary.models().get(1).test()); // order kept
        String json = Files.readString(file);
        assertThat(json).as("pretty-printed").contains("\n  \"started\" : \"2025-06-01T10:15:30Z\"");
        assertThat(dir.toFile().list()).as("no temporary file left behind").containsExactly("summary.json");
    }

    @Test
    void nonFiniteFiguresAreDroppedAndANonFiniteWallTimeIsNull(@TempDir Path dir) throws Exception {
        RunSummary base = Fixtures.twoModels();
        RunSummary.ModelSummary villa = base.models().get(0);
        Map<String, Double> validation = new LinkedHashMap<>(villa.validation());
        validation.put("r2t.map", Double.NaN);
        validation.put("t2r.map", Double.POSITIVE_INFINITY);
        List<RunSummary.Point> loss = new ArrayList<>(villa.lossCurve());
        loss.add(2, new RunSummary.Point(999, Double.NaN));
        Map<String, Map<String, Double>> quality =
                new LinkedHashMap<>(base.mapping().quality());
        Map<String, Double> test = new LinkedHashMap<>(quality.get("TEST"));
        test.put("f1", Double.NaN);
        quality.put("TEST", test);
        RunSummary withNaN = new RunSummary(
                base.started(),
                Double.NaN,
                true,
                base.settings(),
                base.counts(),
                base.countsBalance(),
                base.countChecks(),
                base.splitCounts(),
                base.deadLettersByStage(),
                new RunSummary.MappingSummary(
                        quality, base.mapping().f1Curves(), base.mapping().qualityByType()),
                List.of(
                        new RunSummary.ModelSummary(
                                villa.mode(),
                                villa.modelId(),
                                villa.steps(),
                                villa.samplesSeen(),
                                villa.passes(),
                                villa.bestPass(),
                                validation,
                                villa.test(),
                                villa.evaluatedRegions(),
                                loss,
                                villa.retrievalCurves(),
                                villa.checkpoint()),
                        base.models().get(1)));
        Path file = dir.resolve("summary.json");

        SummaryFile.write(file, withNaN);

        String json = Files.readString(file);
        assertThat(json).doesNotContain("NaN").doesNotContain("Infinity");
        JsonNode tree = STRICT.readTree(json); // standard JSON: a strict parser accepts it
        assertThat(tree.get("wallSeconds").isNull()).isTrue();
        assertThat(tree.at("/models/0/validation").has("r2t.map")).isFalse();
        assertThat(tree.at("/models/0/validation").has("t2r.rprecision")).isTrue();

        RunSummary read = SummaryFile.read(file);
        assertThat(read.wallSeconds()).isNaN();
        assertThat(read.stoppedEarly()).isTrue();
        assertThat(read.models().get(0).validation())
                .doesNotContainKeys("r2t.map", "t2r.map")
                .containsEntry("t2r.rprecision", villa.validation().get("t2r.rprecision"));
        assertThat(read.models().get(0).lossCurve())
                .hasSize(villa.lossCurve().size())
                .containsExactlyElementsOf(villa.lossCurve());
        assertThat(read.mapping().quality().get("TEST")).doesNotContainKey("f1").containsKey("precision");
        assertThat(read.models().get(1)).isEqualTo(base.models().get(1));
    }

    @Test
    void readingIsLenientAboutOldAndNewWriters() throws Exception {
        String json = """
                {"started":"s","stoppedEarly":false,"futureField":{"x":1},"counts":{"pairsProduced":5},
                 "models":[{"mode":"clip","modelId":"m","steps":3,"samplesSeen":7,"validation":{"t2r.map":NaN,"r2t.map":0.5},
                            "test":null,"lossCurve":[{"samples":1,"value":NaN},{"samples":2,"value":1.5}]}]}
                """;

        RunSummary read = SummaryFile.fromJson(json);

        assertThat(read.wallSeconds()).as("absent wall time").isNaN();
        assertThat(read.counts()).containsEntry("pairsProduced", 5L);
        assertThat(read.countsBalance())
                .as("a summary from before the checks is not shown to balance")
                .isFalse();
        assertThat(read.countChecks()).isEmpty();
        assertThat(read.splitCounts()).isEmpty();
        assertThat(read.settings()).isEmpty();
        RunSummary.ModelSummary m = read.models().get(0);
        assertThat(m.validation()).containsExactly(Map.entry("r2t.map", 0.5));
        assertThat(m.test()).isEmpty();
        assertThat(m.lossCurve()).containsExactly(new RunSummary.Point(2, 1.5));
        assertThat(m.retrievalCurves()).isEmpty();
    }
}
