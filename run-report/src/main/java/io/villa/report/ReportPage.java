package io.villa.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * report.html: one self-contained page (inline CSS, charts and gallery as data: URIs, no scripts, no links), readable
 * from a file without a server.
 *
 * <p>Every number on the page is a figure of the {@link RunSummary}, printed by {@link Figures#format} in an element
 * whose {@code data-figure} attribute is the JSON Pointer of that figure in summary.json. So a reader (or a test) can
 * check each printed number against the file. Figures derived on the page (differences, ratios) are deliberately
 * not shown: they would have no place in summary.json to be checked against.
 */
public final class ReportPage {

    public static final String FILE_NAME = "report.html";

    private static final Logger LOG = LoggerFactory.getLogger(ReportPage.class);

    /** Retrieval metrics in reading order; others a summary may carry follow in their own order. */
    static final List<String> METRIC_ORDER = List.of(
            "t2r.rprecision",
            "t2r.precision@10",
            "t2r.map",
            "r2t.rprecision",
            "r2t.precision@1",
            "r2t.map",
            "t2r.rprecision.chance",
            "r2t.rprecision.chance");

    private static final List<String> QUALITY_ORDER = List.of("precision", "recall", "f1", "imagesScored");
    private static final List<String> SPLIT_ORDER = List.of("TRAIN", "VAL", "TEST", "HELDOUT");
    private static final Map<String, String> LABELS = Map.ofEntries(
            Map.entry("t2r.rprecision", "text \u2192 region R-precision"),
            Map.entry("t2r.precision@10", "text \u2192 region precision@10"),
            Map.entry("t2r.map", "text \u2192 region mAP"),
            Map.entry("r2t.rprecision", "region \u2192 text R-precision"),
            Map.entry("r2t.precision@1", "region \u2192 text precision@1"),
            Map.entry("r2t.map", "region \u2192 text mAP"),
            Map.entry("t2r.rprecision.chance", "text \u2192 region R-precision, random ranking"),
            Map.entry("r2t.rprecision.chance", "region \u2192 text R-precision, random ranking"));

    static final String CSS = """
            body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#222}
            h1{margin-bottom:.2em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
            table{border-collapse:collapse;margin:.5em 0 1em}th,td{border:1px solid #ddd;padding:.3em .7em;text-align:left}
            th{background:#f4f4f4}td.num{text-align:right;font-variant-numeric:tabular-nums}
            code{font-size:.9em;color:#555}.warn{background:#fff3cd;border:1px solid #e0c060;padding:.6em 1em}
            .good{background:#e6f4ea;border:1px solid #7cbf8e;padding:.6em 1em}
            .missing{color:#888;font-style:italic}img{max-width:100%}
            .gallery{display:flex;flex-wrap:wrap;gap:1.2em}.gallery figure{margin:0;max-width:480px}
            figcaption{font-size:.9em}figcaption ul{margin:.3em 0;padding-left:1.2em}
            .ok{color:#1b7f2a}.bad{color:#b3261e;text-decoration:line-through}.miss{color:#a66300}
            """;

    private ReportPage() {}

    /** Writes the page (through a temporary file, so a half-written page is never seen). */
    public static void write(Path file, RunSummary summary, List<GalleryImage> gallery) throws IOException {
        FiniteJson.writeAtomically(file, html(summary, gallery));
        LOG.info("wrote {}", file);
    }

    /** The page for {@code summary} (non-finite figures left out, as in summary.json) and these gallery images. */
    public static String html(RunSummary summary, List<GalleryImage> gallery) {
        RunSummary s = SummaryFile.finite(summary);
        StringBuilder h = PageFrame.open(64 * 1024, "ViLLA Stream run " + s.started(), CSS, "ViLLA Stream run report");
        facts(h, s);
        counts(h, s);
        mapping(h, s);
        models(h, s);
        comparison(h, s);
        curves(h, s);
        gallery(h, gallery == null ? List.of() : gallery);
        return PageFrame.close(h);
    }

    private static void facts(StringBuilder h, RunSummary s) {
        h.append("<section id=\"run\">\n<h2>Run</h2>\n");
        if (s.stoppedEarly()) {
            h.append("<p class=\"warn\"><strong>Stopped early:</strong> the run ended before its budget "
                    + "(interrupted, or a stage failed). The figures below are what it had measured by then.</p>\n");
        }
        PageFrame.facts(h, s.started(), s.wallSeconds(), s.stoppedEarly(), s.settings());
        h.append("</section>\n");
    }

    private static void counts(StringBuilder h, RunSummary s) {
        h.append("<section id=\"counts\">\n<h2>Counts</h2>\n");
        if (s.counts().isEmpty()) {
            h.append("<p class=\"missing\">no counts recorded</p>\n</section>\n");
            return;
        }
        h.append(
                "<p>Counted record by record from what the pipeline committed to its topics; figures from consumer-group "
                        + "offsets, which are committed late, are lags and named so.</p>\n");
        if (s.countsBalance()) {
            h.append(
                    "<p class=\"good\"><strong>Counts balance:</strong> every produced pair was decomposed or dead-lettered, "
                            + "exactly once, and every trainer evaluated every held-out region that was decomposed.</p>\n");
        } else {
            h.append("<p class=\"warn\"><strong>Counts do not balance:</strong> see the checks below"
                    + (s.stoppedEarly() ? " (the run stopped early, so some pairs were never processed)" : "")
                    + ".</p>\n");
        }
        h.append("<table>\n<tr><th>what</th><th>count</th></tr>\n");
        s.counts()
                .forEach((k, v) -> h.append("<tr><td>")
                        .append(Html.escape(k))
                        .append("</td>")
                        .append(Html.figureCell(v, "counts", k))
                        .append("</tr>\n"));
        h.append("</table>\n");
        checks(h, s);
        splitCounts(h, s);
        if (!s.deadLettersByStage().isEmpty()) {
            h.append("<h3>Dead letters by stage</h3>\n<table>\n<tr><th>stage</th><th>dead letters</th></tr>\n");
            s.deadLettersByStage()
                    .forEach((stage, n) -> h.append("<tr><td><code>")
                            .append(Html.escape(stage))
                            .append("</code></td>")
                            .append(Html.figureCell(n, "deadLettersByStage", stage))
                            .append("</tr>\n"));
            h.append("</table>\n");
        }
        h.append("</section>\n");
    }

    private static void checks(StringBuilder h, RunSummary s) {
        if (s.countChecks().isEmpty()) {
            return;
        }
        h.append("<h3>Checks</h3>\n<table>\n<tr><th>check</th><th>expected</th><th>actual</th><th>holds</th></tr>\n");
        for (int i = 0; i < s.countChecks().size(); i++) {
            RunSummary.CountCheck c = s.countChecks().get(i);
            h.append("<tr><td>")
                    .append(Html.escape(c.check()))
                    .append("</td>")
                    .append(Html.figureCell(c.expected(), "countChecks", i, "expected"))
                    .append(Html.figureCell(c.actual(), "countChecks", i, "actual"))
                    .append("<td>")
                    .append(c.holds() ? "yes" : "<strong>no</strong>")
                    .append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static void splitCounts(StringBuilder h, RunSummary s) {
        if (s.splitCounts().isEmpty()) {
            return;
        }
        List<String> keys = ordered(
                List.of(),
                s.splitCounts().values().stream()
                        .flatMap(m -> m.keySet().stream())
                        .toList());
        h.append(
                "<h3>Per split</h3>\n<p>A decomposed pair is one image; the trainers evaluate on the regions with ground "
                        + "truth.</p>\n<table>\n<tr><th>split</th>");
        keys.forEach(k -> h.append("<th>").append(Html.escape(k)).append("</th>"));
        h.append("</tr>\n");
        for (String split : ordered(SPLIT_ORDER, s.splitCounts().keySet())) {
            Map<String, Long> row = s.splitCounts().get(split);
            h.append("<tr><td>").append(Html.escape(split)).append("</td>");
            keys.forEach(k -> h.append(
                    row.containsKey(k) ? Html.figureCell(row.get(k), "splitCounts", split, k) : Html.absentCell()));
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    private static void mapping(StringBuilder h, RunSummary s) {
        h.append("<section id=\"mapping\">\n<h2>Mapping model (stage 1)</h2>\n");
        Map<String, Map<String, Double>> quality =
                s.mapping() == null ? Map.of() : s.mapping().quality();
        if (quality.isEmpty()) {
            h.append("<p class=\"missing\">no mapping quality measured</p>\n");
        } else {
            h.append(
                    "<p>Assignments of attributes to regions against the ground truth, cumulative, as of the job's last quality "
                            + "event: it publishes one every few pairs and a last one when its input ends, so during a run "
                            + "<code>imagesScored</code> may trail the images decomposed (per split, above), "
                            + "and at the end it equals them. "
                            + "HELDOUT, where there: the last model version the learner scored on its fixed held-out VAL pairs.</p>\n");
            List<String> keys = ordered(
                    QUALITY_ORDER,
                    quality.values().stream().flatMap(m -> m.keySet().stream()).toList());
            h.append("<table>\n<tr><th>split</th>");
            keys.forEach(k -> h.append("<th>").append(Html.escape(k)).append("</th>"));
            h.append("</tr>\n");
            for (String split : ordered(SPLIT_ORDER, quality.keySet())) {
                Map<String, Double> q = quality.get(split);
                h.append("<tr><td>").append(Html.escape(split)).append("</td>");
                keys.forEach(k -> h.append(
                        q.containsKey(k)
                                ? Html.figureCell(q.get(k), "mapping", "quality", split, k)
                                : Html.absentCell()));
                h.append("</tr>\n");
            }
            h.append("</table>\n");
            mappingByType(h, s.mapping().qualityByType());
        }
        h.append("</section>\n");
    }

    /** The same figures per attribute type, where the vocabulary gives types: one row per split and type. */
    private static void mappingByType(StringBuilder h, Map<String, Map<String, Map<String, Double>>> byType) {
        if (byType == null || byType.values().stream().allMatch(Map::isEmpty)) {
            return;
        }
        List<String> keys = List.of("precision", "recall", "f1");
        h.append(
                "<p>Per attribute type (the vocabulary's): an assignment, and a true region-attribute pair, counts for its "
                        + "attribute's type.</p>\n<table>\n<tr><th>split</th><th>type</th>");
        keys.forEach(k -> h.append("<th>").append(k).append("</th>"));
        h.append("</tr>\n");
        for (String split : ordered(SPLIT_ORDER, byType.keySet())) {
            byType.get(split).forEach((type, q) -> {
                h.append("<tr><td>")
                        .append(Html.escape(split))
                        .append("</td><td>")
                        .append(Html.escape(type))
                        .append("</td>");
                keys.forEach(k -> h.append(
                        q.containsKey(k)
                                ? Html.figureCell(q.get(k), "mapping", "qualityByType", split, type, k)
                                : Html.absentCell()));
                h.append("</tr>\n");
            });
        }
        h.append("</table>\n");
    }

    private static void models(StringBuilder h, RunSummary s) {
        h.append("<section id=\"models\">\n<h2>Contrastive models (stage 2)</h2>\n");
        if (s.models().isEmpty()) {
            h.append("<p class=\"missing\">no model was trained</p>\n");
        }
        for (int i = 0; i < s.models().size(); i++) {
            RunSummary.ModelSummary m = s.models().get(i);
            h.append("<h3>")
                    .append(Html.escape(m.mode()))
                    .append("</h3>\n<table>\n")
                    .append("<tr><th>model id</th><td>")
                    .append(Html.escape(m.modelId()))
                    .append("</td></tr>\n")
                    .append("<tr><th>steps</th>")
                    .append(Html.figureCell(m.steps(), "models", i, "steps"))
                    .append("</tr>\n")
                    .append("<tr><th>samples seen</th>")
                    .append(Html.figureCell(m.samplesSeen(), "models", i, "samplesSeen"))
                    .append("</tr>\n")
                    .append("<tr><th>passes</th>")
                    .append(Html.figureCell(m.passes(), "models", i, "passes"))
                    .append("</tr>\n")
                    .append("<tr><th>best pass (scored)</th>")
                    .append(Html.figureCell(m.bestPass(), "models", i, "bestPass"))
                    .append("</tr>\n")
                    .append(evaluated(m, i))
                    .append("<tr><th>last checkpoint</th><td>")
                    .append(m.checkpoint() == null ? "none" : Html.escape(m.checkpoint()))
                    .append("</td></tr>\n</table>\n");
            List<String> metrics = ordered(
                    METRIC_ORDER, concat(m.validation().keySet(), m.test().keySet()));
            if (metrics.isEmpty()) {
                h.append("<p class=\"missing\">no final evaluation</p>\n");
                continue;
            }
            h.append("<table>\n<tr><th>final retrieval</th><th>validation</th><th>test</th></tr>\n");
            for (String metric : metrics) {
                h.append("<tr>")
                        .append(metricLabelCell(metric))
                        .append(
                                m.validation().containsKey(metric)
                                        ? Html.figureCell(m.validation().get(metric), "models", i, "validation", metric)
                                        : Html.absentCell())
                        .append(
                                m.test().containsKey(metric)
                                        ? Html.figureCell(m.test().get(metric), "models", i, "test", metric)
                                        : Html.absentCell())
                        .append("</tr>\n");
            }
            h.append("</table>\n");
        }
        h.append("</section>\n");
    }

    /** Rows for the regions the trainer says it evaluated, per held-out split. */
    private static String evaluated(RunSummary.ModelSummary m, int i) {
        StringBuilder rows = new StringBuilder();
        for (String split : ordered(SPLIT_ORDER, m.evaluatedRegions().keySet())) {
            rows.append("<tr><th>regions evaluated (")
                    .append(Html.escape(split.toLowerCase(java.util.Locale.ROOT)))
                    .append(")</th>")
                    .append(Html.figureCell(m.evaluatedRegions().get(split), "models", i, "evaluatedRegions", split))
                    .append("</tr>\n");
        }
        return rows.toString();
    }

    /** Only when a villa and a clip model both ran: the product's claim is that villa beats clip on regions. */
    private static void comparison(StringBuilder h, RunSummary s) {
        int villa = indexOfMode(s, "villa");
        int clip = indexOfMode(s, "clip");
        if (villa < 0 || clip < 0) {
            return;
        }
        RunSummary.ModelSummary v = s.models().get(villa);
        RunSummary.ModelSummary c = s.models().get(clip);
        h.append("<section id=\"comparison\">\n<h2>ViLLA vs CLIP (final test retrieval)</h2>\n")
                .append(
                        "<p>Both models saw the same stream; villa learned from region-attribute pairs, clip from whole "
                                + "image-report pairs only.</p>\n")
                .append("<table>\n<tr><th>metric</th><th>villa</th><th>clip</th><th>random ranking</th></tr>\n");
        List<String> metrics = ordered(
                        METRIC_ORDER, concat(v.test().keySet(), c.test().keySet()))
                .stream()
                .filter(k -> !k.endsWith(Charts.CHANCE_SUFFIX))
                .toList();
        for (String metric : metrics) {
            h.append("<tr>")
                    .append(metricLabelCell(metric))
                    .append(
                            v.test().containsKey(metric)
                                    ? Html.figureCell(v.test().get(metric), "models", villa, "test", metric)
                                    : Html.absentCell())
                    .append(
                            c.test().containsKey(metric)
                                    ? Html.figureCell(c.test().get(metric), "models", clip, "test", metric)
                                    : Html.absentCell());
            String chance = metric + Charts.CHANCE_SUFFIX;
            if (v.test().containsKey(chance)) {
                h.append(Html.figureCell(v.test().get(chance), "models", villa, "test", chance));
            } else if (c.test().containsKey(chance)) {
                h.append(Html.figureCell(c.test().get(chance), "models", clip, "test", chance));
            } else {
                h.append(Html.absentCell());
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
        Html.image(
                h,
                "villa and clip on the final test metrics, with the random-ranking reference",
                () -> Charts.finalComparison(List.of(v, c), Charts.WIDTH, Charts.HEIGHT));
        h.append("</section>\n");
    }

    private static void curves(StringBuilder h, RunSummary s) {
        h.append("<section id=\"curves\">\n<h2>Over time</h2>\n");
        Html.image(
                h,
                "training loss against samples seen, per model",
                () -> Charts.lossCurves(s.models(), Charts.WIDTH, Charts.HEIGHT));
        Html.image(
                h,
                "mapping F1 against train pairs learned from, per split",
                () -> Charts.mappingF1(s.mapping(), Charts.WIDTH, Charts.HEIGHT));
        Html.image(
                h,
                "validation R-precision (text to region, region to text) against samples seen, per model",
                () -> Charts.retrievalCurves(s.models(), Charts.WIDTH, Charts.HEIGHT));
        h.append("</section>\n");
    }

    private static void gallery(StringBuilder h, List<GalleryImage> gallery) {
        h.append("<section id=\"gallery\">\n<h2>Decomposed images</h2>\n");
        if (gallery.isEmpty()) {
            h.append("<p class=\"missing\">no decomposed images were available</p>\n</section>\n");
            return;
        }
        h.append("<p>Each box is a region the mapping model assigned attributes to: "
                + "<span class=\"ok\">correct</span> (in the region's ground truth), <span class=\"bad\">wrong</span>, "
                + "and <span class=\"miss\">missed</span> (true of the region, assigned elsewhere or nowhere).</p>\n"
                + "<div class=\"gallery\">\n");
        for (GalleryImage g : gallery) {
            byte[] png;
            try {
                png = GalleryRenderer.render(g);
            } catch (RuntimeException
                    | LinkageError
                    | InternalError e) { // as for charts: one bad image must not cost the page
                LOG.warn("gallery: pair {} left out: {}", g.pairId(), e.getMessage());
                continue;
            }
            h.append("<figure>\n<img src=\"")
                    .append(Html.pngDataUri(png))
                    .append("\" alt=\"pair ")
                    .append(Html.escape(g.pairId()))
                    .append(" with its regions\">\n<figcaption><strong>")
                    .append(Html.escape(g.pairId()))
                    .append("</strong> (")
                    .append(Html.escape(g.split()))
                    .append(")\n<ul>\n");
            for (GalleryImage.Region r : g.regions()) {
                h.append("<li>[").append(r.index()).append("] ");
                if (!r.hasGroundTruth()) {
                    h.append(Html.escape(String.join(", ", r.attributes()))).append(" <em>(no ground truth)</em>");
                } else {
                    r.correct()
                            .forEach(a -> h.append("<span class=\"ok\">")
                                    .append(Html.escape(a))
                                    .append("</span> "));
                    r.wrong()
                            .forEach(a -> h.append("<span class=\"bad\">")
                                    .append(Html.escape(a))
                                    .append("</span> "));
                    if (!r.missed().isEmpty()) {
                        h.append("missed: ");
                        r.missed()
                                .forEach(a -> h.append("<span class=\"miss\">")
                                        .append(Html.escape(a))
                                        .append("</span> "));
                    }
                }
                h.append("</li>\n");
            }
            h.append("</ul>\n</figcaption>\n</figure>\n");
        }
        h.append("</div>\n</section>\n");
    }

    private static String metricLabelCell(String metric) {
        String label = LABELS.get(metric);
        return "<td>" + (label == null ? "" : Html.escape(label) + " ") + "<code>" + Html.escape(metric)
                + "</code></td>";
    }

    private static int indexOfMode(RunSummary s, String mode) {
        for (int i = 0; i < s.models().size(); i++) {
            if (mode.equalsIgnoreCase(s.models().get(i).mode())) {
                return i;
            }
        }
        return -1;
    }

    /** {@code preferred} keys that occur first, in that order, then the others in the order met. */
    static List<String> ordered(List<String> preferred, java.util.Collection<String> present) {
        Set<String> seen = new LinkedHashSet<>(present);
        List<String> out = new ArrayList<>();
        for (String k : preferred) {
            if (seen.remove(k)) {
                out.add(k);
            }
        }
        out.addAll(seen);
        return out;
    }

    private static List<String> concat(java.util.Collection<String> a, java.util.Collection<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
