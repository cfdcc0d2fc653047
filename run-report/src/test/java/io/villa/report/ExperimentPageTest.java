package io.villa.report;

import static io.villa.report.ExperimentFixtures.Retrieval;
import static io.villa.report.ExperimentFixtures.cell;
import static io.villa.report.PageScraper.figures;
import static io.villa.report.PageScraper.images;
import static io.villa.report.PageScraper.lastSegment;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.villa.report.ExperimentSummary.Cell;
import io.villa.report.ExperimentSummary.Row;

class ExperimentPageTest {

    @Test
    void everyFigureOnThePageIsTheFigureInExperimentJson(@TempDir Path dir) throws Exception {
        ExperimentSummary summary = ExperimentFixtures.summary(ExperimentFixtures.holding());

        ExperimentReport.write(dir, summary);

        JsonNode json =
                new ObjectMapper().readTree(dir.resolve("experiment.json").toFile());
        String html = Files.readString(dir.resolve("report.html"));
        Map<String, String> printed = figures(html);
        for (Map.Entry<String, String> e : printed.entrySet()) {
            JsonNode node = json.at(e.getKey());
            assertThat(node.isNumber())
                    .as("%s is a number in experiment.json", e.getKey())
                    .isTrue();
            assertThat(e.getValue())
                    .as(e.getKey())
                    .isEqualTo(Figures.format(lastSegment(e.getKey()), node.numberValue()));
        }
        List<String> expected = expectedPointers(summary);
        assertThat(printed.keySet()).containsAll(expected);
        assertThat(printed)
                .as("checked figures")
                .hasSizeGreaterThanOrEqualTo(expected.size())
                .hasSizeGreaterThan(200);
        assertThat(html)
                .contains("data-figure=\"/rows/0/modes/villa/t2r.rprecision/mean\">0.700<")
                .contains("data-figure=\"/rows/3/modes/clip/t2r.rprecision/mean\">0.300<")
                .contains("data-figure=\"/rows/3/modes/clip/t2r.rprecision/spread\">0.014<")
                .contains("data-figure=\"/shape/clipT2rFallPercent\">50.000<")
                .contains("data-figure=\"/shape/villaT2rGain\">24.000<")
                .contains("data-figure=\"/cells/2/wallSeconds\">309.250<")
                .contains("data-figure=\"/cells/1/mappingByType/colour/f1\">0.903<");
    }

    @Test
    void thePageHasBothCurvesThePapersFiguresAndTheCellLinks() {
        ExperimentSummary summary = ExperimentFixtures.summary(ExperimentFixtures.holding());

        String html = ExperimentPage.html(summary);

        List<String> images = images(html);
        assertThat(images).as("text->region and region->text curves").hasSize(2);
        for (String src : images) {
            assertThat(src).startsWith("data:image/png;base64,");
            assertThat(Fixtures.decode(Base64.getDecoder().decode(src.substring("data:image/png;base64,".length()))))
                    .isNotNull();
        }
        assertThat(html)
                .contains("alt=\"text to region R-precision against complexity, villa and clip\"")
                .contains("alt=\"region to text R-precision against complexity, villa and clip\"");
        String shape = section(html, "shape");
        assertThat(shape)
                .contains("data-figure=\"/paper/clipT2rFallPercent\">36.900<")
                .contains("data-figure=\"/paper/clipR2tFallPercent\">20.500<")
                .contains("data-figure=\"/paper/villaT2rGain\">14.200<")
                .contains("data-figure=\"/paper/villaR2tGain\">7.800<")
                .contains("data-figure=\"/paper/complexityFrom\">5.000<")
                .contains("data-figure=\"/paper/complexityTo\">29.400<")
                .contains("<strong>Holds:</strong>")
                .doesNotContain("<strong>no</strong>");
        for (Cell c : summary.cells()) {
            assertThat(html).contains("<a href=\"" + c.runDir() + "/report.html\">");
        }
        assertThat(html.toLowerCase())
                .doesNotContain("http")
                .doesNotContain("<script")
                .doesNotContain("<link")
                .doesNotContain("src=\"/")
                .doesNotContain("url(");
        assertThat(html).contains("<td>complexities</td><td>4,8,16,32</td>");
    }

    @Test
    void aShapeThatFailsSaysWhichConditionAndWhy() {
        List<Cell> cells = new ArrayList<>(ExperimentFixtures.holding());
        cells.set(3, cell(16, 1, new Retrieval(0.64, 0.40, 0.40, 0.44)));

        String shape = section(ExperimentPage.html(ExperimentFixtures.summary(cells)), "shape");

        assertThat(shape)
                .contains("<strong>Does not hold</strong>")
                .contains("<td><strong>no</strong></td>")
                .contains(
                        "<li>villa is not ahead of clip at complexity 16: text-&gt;region R-precision 0.640 vs 0.400, "
                                + "region-&gt;text 0.400 vs 0.440</li>");
    }

    @Test
    void oneRowGivesAPageWithoutTheFiguresThatAreNotNumbers(@TempDir Path dir) throws Exception {
        Cell cell = cell(8, 1, new Retrieval(0.5, 0.4, 0.3, 0.2));
        cell.modes().get("clip").test().put("t2r.map", Double.NaN);
        ExperimentSummary summary = ExperimentAnalysis.summarize("s", Double.NaN, true, Map.of(), List.of(cell));

        ExperimentReport.write(dir, summary);

        String html = Files.readString(dir.resolve("report.html"));
        Map<String, String> printed = figures(html);
        assertThat(printed)
                .doesNotContainKeys(
                        "/wallSeconds",
                        "/shape/clipT2rFallPercent",
                        "/shape/villaT2rGain",
                        "/cells/0/modes/clip/test/t2r.map",
                        "/rows/0/modes/clip/t2r.map/mean")
                .containsKeys("/paper/villaT2rGain", "/rows/0/modes/villa/t2r.map/mean", "/shape/lowestComplexity");
        assertThat(printed.keySet()).noneMatch(p -> p.endsWith("/spread")); // one seed: no spread shown
        assertThat(html).contains("Stopped early").contains("only 1 target complexity finished");
        assertThat(images(html)).hasSize(2);
    }

    @Test
    void anEmptyExperimentStillGivesAPage() {
        String html = ExperimentPage.html(ExperimentFixtures.summary(List.of()));

        assertThat(html).contains("no cell finished").contains("data-figure=\"/paper/villaR2tGain\"");
        assertThat(images(html)).hasSize(2);
    }

    @Test
    void textFromTheRunIsEscapedAndOnlyRelativeDirectoriesAreLinked() {
        Retrieval r = new Retrieval(0.5, 0.4, 0.3, 0.2);
        Cell plain = cell(4, 1, r);
        Cell evil = new Cell(
                8,
                1,
                7.0,
                10,
                1.0,
                "x\"><script>alert('x')</script>",
                plain.mapping(),
                plain.mappingByType(),
                plain.modes());
        Cell scheme = new Cell(
                16, 1, 15.0, 10, 1.0, "javascript:alert(1)", plain.mapping(), plain.mappingByType(), plain.modes());
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("out", "<b>runs</b> & \"more\"");

        String html = ExperimentPage.html(
                ExperimentAnalysis.summarize("<i>now</i>", 1.0, false, settings, List.of(plain, evil, scheme)));

        assertThat(html)
                .doesNotContain("<script>")
                .doesNotContain("<b>runs</b>")
                .doesNotContain("<i>now</i>")
                .doesNotContain("href=\"javascript")
                .contains("&lt;b&gt;runs&lt;/b&gt; &amp; &quot;more&quot;")
                .contains("<a href=\"x&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;/report.html\">")
                .contains("<a href=\"cells/c04-s1/report.html\">");
    }

    /** The figures every summary of this shape must show. */
    private static List<String> expectedPointers(ExperimentSummary s) {
        List<String> out = new ArrayList<>(List.of(
                "/wallSeconds",
                "/shape/lowestComplexity",
                "/shape/highestComplexity",
                "/shape/clipT2rFallPercent",
                "/shape/clipR2tFallPercent",
                "/shape/villaT2rFallPercent",
                "/shape/villaR2tFallPercent",
                "/shape/villaT2rGain",
                "/shape/villaR2tGain",
                "/paper/complexityFrom",
                "/paper/complexityTo",
                "/paper/clipT2rFallPercent",
                "/paper/clipR2tFallPercent",
                "/paper/villaT2rGain",
                "/paper/villaR2tGain"));
        for (int i = 0; i < s.rows().size(); i++) {
            Row row = s.rows().get(i);
            String p = "/rows/" + i;
            List<String> stats = new ArrayList<>(List.of(p + "/averageComplexity"));
            row.mapping().keySet().forEach(k -> stats.add(p + "/mapping/" + k));
            row.modes()
                    .forEach((mode, figures) ->
                            figures.keySet().forEach(k -> stats.add(p + "/modes/" + mode + "/" + k)));
            out.add(p + "/targetComplexity");
            out.add(p + "/seeds");
            for (String stat : stats) {
                out.add(stat + "/mean");
                if (row.seeds() > 1) {
                    out.add(stat + "/spread");
                }
            }
        }
        for (int i = 0; i < s.cells().size(); i++) {
            Cell c = s.cells().get(i);
            String p = "/cells/" + i;
            out.addAll(List.of(
                    p + "/targetComplexity",
                    p + "/seed",
                    p + "/averageComplexity",
                    p + "/trainImages",
                    p + "/wallSeconds",
                    p + "/modes/villa/test/t2r.rprecision",
                    p + "/modes/clip/test/r2t.rprecision"));
            c.mappingByType().keySet().forEach(t -> out.add(p + "/mappingByType/" + t + "/f1"));
        }
        return out; // no key of these fixtures has a '/' or '~' to escape
    }

    private static String section(String html, String id) {
        int start = html.indexOf("<section id=\"" + id + "\">");
        assertThat(start).as("section " + id).isNotNegative();
        return html.substring(start, html.indexOf("</section>", start));
    }
}
