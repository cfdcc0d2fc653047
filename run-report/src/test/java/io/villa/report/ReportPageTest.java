package io.villa.report;

import static io.villa.report.PageScraper.figures;
import static io.villa.report.PageScraper.images;
import static io.villa.report.PageScraper.lastSegment;
import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class ReportPageTest {

    @Test
    void everyFigureOnThePageIsTheFigureInSummaryJson(@TempDir Path dir) throws Exception {
        RunSummary summary = Fixtures.twoModels();

        RunReport.write(dir, summary, List.of(Fixtures.galleryImage("pair-7")));

        JsonNode json = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
        String html = Files.readString(dir.resolve("report.html"));
        Map<String, String> printed = figures(html);
        for (Map.Entry<String, String> e : printed.entrySet()) {
            JsonNode node = json.at(e.getKey());
            assertThat(node.isNumber())
                    .as("%s is a number in summary.json", e.getKey())
                    .isTrue();
            assertThat(e.getValue())
                    .as(e.getKey())
                    .isEqualTo(Figures.format(lastSegment(e.getKey()), node.numberValue()));
        }
        // and every figure of the summary is on the page, formatted by the shared function
        Map<String, Number> expected = allFigures(summary);
        assertThat(printed.keySet()).containsAll(expected.keySet());
        expected.forEach((pointer, value) ->
                assertThat(printed.get(pointer)).as(pointer).isEqualTo(Figures.format(lastSegment(pointer), value)));
        assertThat(html)
                .contains(">" + Figures.format("t2r.rprecision", 0.612) + "<")
                .contains(">4321<")
                .contains(">187.250<")
                .contains(">2500<");
    }

    @Test
    void theComparisonIsThereOnlyWhenVillaAndClipBothRan() {
        String two = ReportPage.html(Fixtures.twoModels(), List.of());
        String one = ReportPage.html(Fixtures.oneModel(), List.of());

        assertThat(two).contains("<section id=\"comparison\">");
        String comparison = two.substring(
                two.indexOf("<section id=\"comparison\">"),
                two.indexOf("</section>", two.indexOf("id=\"comparison\"")));
        assertThat(comparison)
                .contains("data-figure=\"/models/0/test/t2r.rprecision\"")
                .contains("data-figure=\"/models/1/test/r2t.map\"")
                .contains("data-figure=\"/models/0/test/t2r.rprecision.chance\"");
        assertThat(images(comparison)).as("the bar chart").hasSize(1);
        assertThat(images(two)).as("comparison bars and three curves").hasSize(4);

        assertThat(one).doesNotContain("id=\"comparison\"").doesNotContain("ViLLA vs CLIP");
        assertThat(images(one)).as("three curves").hasSize(3);
    }

    @Test
    void thePageIsSelfContained() {
        String html =
                ReportPage.html(Fixtures.twoModels(), List.of(Fixtures.galleryImage("a"), Fixtures.galleryImage("b")));

        List<String> sources = images(html);
        assertThat(sources).hasSize(4 + 2);
        for (String src : sources) {
            assertThat(src).startsWith("data:image/png;base64,");
            BufferedImage image =
                    Fixtures.decode(Base64.getDecoder().decode(src.substring("data:image/png;base64,".length())));
            assertThat(image).as("a decodable PNG").isNotNull();
        }
        assertThat(html.toLowerCase())
                .doesNotContain("http")
                .doesNotContain("<script")
                .doesNotContain("<link")
                .doesNotContain("src=\"/")
                .doesNotContain("url(");
        assertThat(html)
                .contains("<section id=\"gallery\">")
                .contains("<span class=\"bad\">circle</span>")
                .contains("<span class=\"miss\">yellow</span>");
    }

    @Test
    void theCountsSayWhetherTheyBalanceWithTheNumbersOfEachCheck() {
        RunSummary base = Fixtures.twoModels();
        RunSummary off = new RunSummary(
                base.started(),
                base.wallSeconds(),
                false,
                base.settings(),
                base.counts(),
                false,
                List.of(new RunSummary.CountCheck("pairs produced = decomposed + dead-lettered", 4321, 4300, false)),
                base.splitCounts(),
                base.deadLettersByStage(),
                base.mapping(),
                base.models());

        String balanced = ReportPage.html(base, List.of());
        String unbalanced = ReportPage.html(off, List.of());

        assertThat(balanced)
                .contains("Counts balance:")
                .doesNotContain("Counts do not balance")
                .contains("data-figure=\"/countChecks/1/actual\">2711<")
                .contains("data-figure=\"/splitCounts/TEST/pairsDecomposed\">921<")
                .contains("data-figure=\"/deadLettersByStage/decompose.validate\">3<")
                .contains("data-figure=\"/models/0/evaluatedRegions/VAL\">2711<");
        assertThat(unbalanced)
                .contains("Counts do not balance")
                .doesNotContain("Counts balance:")
                .contains("data-figure=\"/countChecks/0/actual\">4300<")
                .contains("<strong>no</strong>");
    }

    @Test
    void textFromTheRunIsEscaped() {
        RunSummary base = Fixtures.oneModel();
        Map<String, String> settings = new LinkedHashMap<>(base.settings());
        settings.put("out", "<script>alert('x')</script> & \"runs\"");
        RunSummary.ModelSummary m = base.models().get(0);
        RunSummary summary = new RunSummary(
                "<b>now</b>",
                base.wallSeconds(),
                true,
                settings,
                base.counts(),
                false,
                List.of(new RunSummary.CountCheck("<i>pairs</i>", 1, 0, false)),
                base.splitCounts(),
                Map.of("<u>stage</u>", 1L),
                base.mapping(),
                List.of(new RunSummary.ModelSummary(
                        "villa",
                        "id\"><img src=x>",
                        m.steps(),
                        m.samplesSeen(),
                        m.passes(),
                        m.bestPass(),
                        m.validation(),
                        m.test(),
                        m.evaluatedRegions(),
                        m.lossCurve(),
                        m.retrievalCurves(),
                        m.checkpoint())));

        String html = ReportPage.html(summary, List.of());

        assertThat(html)
                .doesNotContain("<script>")
                .doesNotContain("<b>now</b>")
                .doesNotContain("<img src=x>")
                .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;runs&quot;")
                .contains("&lt;b&gt;now&lt;/b&gt;")
                .doesNotContain("<i>pairs</i>")
                .doesNotContain("<u>stage</u>")
                .contains("Stopped early");
    }

    @Test
    void aBrokenGalleryImageOrAnEmptyRunStillGivesAPage(@TempDir Path dir) throws Exception {
        RunSummary empty = new RunSummary(
                "2025-06-01T00:00:00Z", Double.NaN, true, Map.of(), Map.of(), false, null, null, null, null, List.of());
        GalleryImage broken = new GalleryImage("broken", "TEST", new byte[] {1, 2, 3}, 84, 84, List.of());

        RunReport.write(dir, empty, List.of(broken, Fixtures.galleryImage("fine")));

        String html = Files.readString(dir.resolve("report.html"));
        assertThat(html)
                .contains("no model was trained")
                .contains("no mapping quality measured")
                .doesNotContain("data-figure=\"/wallSeconds\"")
                .contains("fine")
                .doesNotContain("<strong>broken</strong>");
        assertThat(images(html)).hasSize(3 + 1);
        assertThat(SummaryFile.read(dir.resolve("summary.json")).wallSeconds()).isNaN();
    }

    @Test
    void aFigureThatIsNotANumberIsLeftOutOfBothFiles(@TempDir Path dir) throws Exception {
        RunSummary base = Fixtures.twoModels();
        RunSummary.ModelSummary clip = base.models().get(1);
        Map<String, Double> test = new LinkedHashMap<>(clip.test());
        test.put("t2r.map", Double.NaN);
        RunSummary summary = new RunSummary(
                base.started(),
                base.wallSeconds(),
                false,
                base.settings(),
                base.counts(),
                base.countsBalance(),
                base.countChecks(),
                base.splitCounts(),
                base.deadLettersByStage(),
                base.mapping(),
                List.of(
                        base.models().get(0),
                        new RunSummary.ModelSummary(
                                "clip",
                                clip.modelId(),
                                clip.steps(),
                                clip.samplesSeen(),
                                clip.passes(),
                                clip.bestPass(),
                                clip.validation(),
                                test,
                                clip.evaluatedRegions(),
                                clip.lossCurve(),
                                clip.retrievalCurves(),
                                clip.checkpoint())));

        RunReport.write(dir, summary, List.of());

        String html = Files.readString(dir.resolve("report.html"));
        assertThat(figures(html)).doesNotContainKey("/models/1/test/t2r.map").containsKey("/models/0/test/t2r.map");
        assertThat(Files.readString(dir.resolve("summary.json"))).doesNotContain("NaN");
    }

    /** Every number a summary holds, except the curves (those are drawn, not printed), by JSON Pointer. */
    private static Map<String, Number> allFigures(RunSummary s) {
        Map<String, Number> out = new LinkedHashMap<>();
        out.put("/wallSeconds", s.wallSeconds());
        s.counts().forEach((k, v) -> out.put("/counts/" + k, v));
        for (int i = 0; i < s.countChecks().size(); i++) {
            out.put("/countChecks/" + i + "/expected", s.countChecks().get(i).expected());
            out.put("/countChecks/" + i + "/actual", s.countChecks().get(i).actual());
        }
        s.splitCounts().forEach((split, c) -> c.forEach((k, v) -> out.put("/splitCounts/" + split + "/" + k, v)));
        s.deadLettersByStage().forEach((stage, n) -> out.put("/deadLettersByStage/" + stage, n));
        s.mapping()
                .quality()
                .forEach((split, q) -> q.forEach((k, v) -> out.put("/mapping/quality/" + split + "/" + k, v)));
        s.mapping()
                .qualityByType()
                .forEach((split, types) -> types.forEach((type, q) ->
                        q.forEach((k, v) -> out.put("/mapping/qualityByType/" + split + "/" + type + "/" + k, v))));
        for (int i = 0; i < s.models().size(); i++) {
            RunSummary.ModelSummary m = s.models().get(i);
            out.put("/models/" + i + "/steps", m.steps());
            out.put("/models/" + i + "/samplesSeen", m.samplesSeen());
            int model = i;
            m.validation().forEach((k, v) -> out.put("/models/" + model + "/validation/" + k, v));
            m.test().forEach((k, v) -> out.put("/models/" + model + "/test/" + k, v));
            m.evaluatedRegions().forEach((k, v) -> out.put("/models/" + model + "/evaluatedRegions/" + k, v));
        }
        Set<String> keys = new LinkedHashSet<>(out.keySet());
        assertThat(keys).hasSizeGreaterThan(40);
        return out;
    }
}
