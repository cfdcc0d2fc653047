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

import io.villa.report.ExperimentSummary.Paper;
import io.villa.report.ExperimentSummary.Row;
import io.villa.report.ExperimentSummary.Stat;

/**
 * The report.html of a complexity experiment: self-contained like {@link ReportPage} (inline CSS, charts as data:
 * URIs, no scripts); its only links are relative ones to each cell's own report.
 *
 * <p>As on the run's page, every number is a figure of experiment.json printed by {@link Figures#format} in an element
 * whose {@code data-figure} is its JSON Pointer there, and a figure that is not finite is a dash without one.
 */
public final class ExperimentPage {

    public static final String FILE_NAME = ReportPage.FILE_NAME;

    private static final Logger LOG = LoggerFactory.getLogger(ExperimentPage.class);

    private static final String CSS = ReportPage.CSS + ".verdict td:last-child{font-weight:bold}\n";

    private ExperimentPage() {}

    /** Writes the page (through a temporary file, so a half-written page is never seen). */
    public static void write(Path file, ExperimentSummary summary) throws IOException {
        FiniteJson.writeAtomically(file, html(summary));
        LOG.info("wrote {}", file);
    }

    /** The page for {@code summary}, non-finite figures left out as in experiment.json. */
    public static String html(ExperimentSummary summary) {
        ExperimentSummary s = ExperimentFile.finite(summary);
        StringBuilder h = PageFrame.open(
                128 * 1024,
                "ViLLA Stream complexity experiment " + s.started(),
                CSS,
                "ViLLA Stream complexity experiment");
        facts(h, s);
        ExperimentShapeSection.append(h, s.shape(), s.paper() == null ? Paper.figures() : s.paper());
        curves(h, s.rows());
        rows(h, s.rows());
        ExperimentCellsSection.append(h, s.cells());
        return PageFrame.close(h);
    }

    private static void facts(StringBuilder h, ExperimentSummary s) {
        h.append(
                "<section id=\"experiment\">\n<h2>Experiment</h2>\n<p>The whole pipeline (DocMNIST, broker, decomposition, "
                        + "villa and clip trainers) ran once per target complexity and seed; each such cell has its own report, "
                        + "linked below.</p>\n");
        if (s.stoppedEarly()) {
            h.append(
                    "<p class=\"warn\"><strong>Stopped early:</strong> the time limit or an interruption ended the run "
                            + "before every cell finished. The figures below are those of the cells that did.</p>\n");
        }
        PageFrame.facts(h, s.started(), s.wallSeconds(), s.stoppedEarly(), s.settings());
        h.append("</section>\n");
    }

    private static void curves(StringBuilder h, List<Row> rows) {
        h.append(
                "<section id=\"curves\">\n<h2>Retrieval against complexity</h2>\n<p>Test R-precision, mean over seeds; "
                        + "the band runs from the lowest to the highest seed. Dashed: a random ranking.</p>\n");
        Html.image(
                h,
                "text to region R-precision against complexity, villa and clip",
                () -> ExperimentCharts.curves(
                        "Text \u2192 region R-precision", rows, ShapeCheck.T2R, Charts.WIDTH, Charts.HEIGHT));
        Html.image(
                h,
                "region to text R-precision against complexity, villa and clip",
                () -> ExperimentCharts.curves(
                        "Region \u2192 text R-precision", rows, ShapeCheck.R2T, Charts.WIDTH, Charts.HEIGHT));
        h.append("</section>\n");
    }

    private static void rows(StringBuilder h, List<Row> rows) {
        h.append("<section id=\"complexities\">\n<h2>By complexity</h2>\n");
        if (rows.isEmpty()) {
            h.append("<p class=\"missing\">no cell finished</p>\n</section>\n");
            return;
        }
        h.append(
                "<p>Mean \u00b1 sample standard deviation over the seeds that finished. Mapping quality is the mapping "
                        + "model's on the TEST split; retrieval is each trainer's best pass on TEST.</p>\n");
        List<String> quality = ReportPage.ordered(
                List.of("precision", "recall", "f1"),
                keys(rows.stream().map(Row::mapping).toList()));
        h.append("<table>\n<tr><th>target complexity</th><th>seeds</th><th>average complexity</th>");
        quality.forEach(k -> h.append("<th>mapping ").append(Html.escape(k)).append("</th>"));
        h.append("</tr>\n");
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            h.append("<tr>")
                    .append(Html.figureCell(r.targetComplexity(), "rows", i, "targetComplexity"))
                    .append(Html.figureCell(r.seeds(), "rows", i, "seeds"))
                    .append(statCell(r.averageComplexity(), "rows", i, "averageComplexity"));
            for (String k : quality) {
                h.append(statCell(r.mapping().get(k), "rows", i, "mapping", k));
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
        for (String mode : keys(rows.stream().map(Row::modes).toList())) {
            modeTable(h, rows, mode);
        }
        h.append("</section>\n");
    }

    private static void modeTable(StringBuilder h, List<Row> rows, String mode) {
        List<String> metrics = ReportPage.ordered(
                ReportPage.METRIC_ORDER,
                keys(rows.stream()
                        .map(r -> r.modes().getOrDefault(mode, Map.of()))
                        .toList()));
        h.append("<h3>").append(Html.escape(mode)).append("</h3>\n<table>\n<tr><th>target complexity</th>");
        metrics.forEach(k -> h.append("<th><code>").append(Html.escape(k)).append("</code></th>"));
        h.append("</tr>\n");
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Stat> figures = rows.get(i).modes().get(mode);
            h.append("<tr>").append(Html.figureCell(rows.get(i).targetComplexity(), "rows", i, "targetComplexity"));
            for (String k : metrics) {
                h.append(figures == null ? Html.absentCell() : statCell(figures.get(k), "rows", i, "modes", mode, k));
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    /** A stat as its mean, and its spread where several seeds give one; a dash where nothing was measured. */
    static String statCell(Stat stat, Object... pointer) {
        if (stat == null || !Double.isFinite(stat.mean())) {
            return Html.absentCell();
        }
        StringBuilder cell =
                new StringBuilder("<td class=\"num\">").append(Html.figureSpan(stat.mean(), with(pointer, "mean")));
        if (stat.n() > 1) {
            cell.append(" \u00b1 ").append(Html.figureSpan(stat.spread(), with(pointer, "spread")));
        }
        return cell.append("</td>").toString();
    }

    private static Object[] with(Object[] pointer, String last) {
        Object[] out = java.util.Arrays.copyOf(pointer, pointer.length + 1);
        out[pointer.length] = last;
        return out;
    }

    /** Every key of the maps, in the order met. */
    static List<String> keys(List<? extends Map<String, ?>> maps) {
        Set<String> keys = new LinkedHashSet<>();
        maps.stream().filter(java.util.Objects::nonNull).forEach(m -> keys.addAll(m.keySet()));
        return new ArrayList<>(keys);
    }
}
