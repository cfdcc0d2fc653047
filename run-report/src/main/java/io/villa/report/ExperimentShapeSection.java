package io.villa.report;

import io.villa.report.ExperimentSummary.Paper;
import io.villa.report.ExperimentSummary.Shape;

/**
 * The verdict part of the experiment's page: whether the paper's shape holds, each condition with this run's
 * figures beside the paper's, and the notes that say in words what failed.
 */
final class ExperimentShapeSection {

    private ExperimentShapeSection() {
    }

    static void append(StringBuilder h, Shape shape, Paper paper) {
        h.append("<section id=\"shape\">\n<h2>The paper's shape</h2>\n");
        if (shape == null) {
            h.append("<p class=\"missing\">no shape computed</p>\n</section>\n");
            return;
        }
        h.append(shape.holds()
                ? "<p class=\"good\"><strong>Holds:</strong> clip falls as complexity rises, villa holds up and leads.</p>\n"
                : "<p class=\"warn\"><strong>Does not hold</strong> on these cells (see the notes below).</p>\n");
        h.append("<p>Falls are from the lowest to the highest complexity, in percent of the value at the lowest "
                + "(this run: target complexity ").append(Html.figureSpan(shape.lowestComplexity(), "shape", "lowestComplexity"))
                .append(" to ").append(Html.figureSpan(shape.highestComplexity(), "shape", "highestComplexity"))
                .append("; the paper: average complexity ").append(Html.figureSpan(paper.complexityFrom(), "paper", "complexityFrom"))
                .append(" to ").append(Html.figureSpan(paper.complexityTo(), "paper", "complexityTo"))
                .append("). Gains are villa minus clip in R-precision points, averaged over complexities from ")
                .append(ShapeCheck.LEAD_FROM).append(" up; the paper's are over its best CLIP baseline.</p>\n")
                .append("<table class=\"verdict\">\n<tr><th>condition</th><th>figure</th><th>this run</th><th>paper</th>"
                        + "<th>holds</th></tr>\n");
        row(h, "clip's text \u2192 region R-precision falls by at least " + ShapeCheck.CLIP_FALL_PERCENT + "%",
                "clip text \u2192 region fall, %", Html.figureCell(shape.clipT2rFallPercent(), "shape", "clipT2rFallPercent"),
                Html.figureCell(paper.clipT2rFallPercent(), "paper", "clipT2rFallPercent"), verdict(shape.clipFalls()));
        row(h, "", "clip region \u2192 text fall, %", Html.figureCell(shape.clipR2tFallPercent(), "shape", "clipR2tFallPercent"),
                Html.figureCell(paper.clipR2tFallPercent(), "paper", "clipR2tFallPercent"), "");
        row(h, "villa's text \u2192 region R-precision falls by less than half of clip's",
                "villa text \u2192 region fall, %", Html.figureCell(shape.villaT2rFallPercent(), "shape", "villaT2rFallPercent"),
                Html.absentCell(), verdict(shape.villaHoldsUp()));
        row(h, "", "villa region \u2192 text fall, %", Html.figureCell(shape.villaR2tFallPercent(), "shape", "villaR2tFallPercent"),
                Html.absentCell(), "");
        row(h, "villa's text \u2192 region and region \u2192 text R-precision above clip's at every complexity from "
                        + ShapeCheck.LEAD_FROM,
                "villa \u2212 clip, text \u2192 region, points", Html.figureCell(shape.villaT2rGain(), "shape", "villaT2rGain"),
                Html.figureCell(paper.villaT2rGain(), "paper", "villaT2rGain"), verdict(shape.villaAheadFrom8()));
        row(h, "", "villa \u2212 clip, region \u2192 text, points", Html.figureCell(shape.villaR2tGain(), "shape", "villaR2tGain"),
                Html.figureCell(paper.villaR2tGain(), "paper", "villaR2tGain"), "");
        h.append("</table>\n");
        if (!shape.notes().isEmpty()) {
            h.append("<ul class=\"notes\">\n");
            shape.notes().forEach(n -> h.append("<li>").append(Html.escape(n)).append("</li>\n"));
            h.append("</ul>\n");
        }
        h.append("</section>\n");
    }

    private static void row(StringBuilder h, String condition, String figure, String run, String paper, String holds) {
        h.append("<tr><td>").append(Html.escape(condition)).append("</td><td>").append(Html.escape(figure)).append("</td>")
                .append(run).append(paper).append("<td>").append(holds).append("</td></tr>\n");
    }

    private static String verdict(boolean holds) {
        return holds ? "yes" : "<strong>no</strong>";
    }
}
