package io.villa.report;

import java.util.List;
import java.util.Map;

import io.villa.report.ExperimentSummary.Cell;

/** The cells of the experiment's page: one line per finished cell with a link to its own report, and per-type F1. */
final class ExperimentCellsSection {

    private static final List<String> RETRIEVAL = List.of(ShapeCheck.T2R, ShapeCheck.R2T);

    private ExperimentCellsSection() {
    }

    static void append(StringBuilder h, List<Cell> cells) {
        h.append("<section id=\"cells\">\n<h2>Cells</h2>\n");
        if (cells.isEmpty()) {
            h.append("<p class=\"missing\">no cell finished</p>\n</section>\n");
            return;
        }
        List<String> modes = ExperimentPage.keys(cells.stream().map(Cell::modes).toList());
        h.append("<table>\n<tr><th>target complexity</th><th>seed</th><th>average complexity</th><th>train images</th>"
                + "<th>wall time, s</th>");
        modes.forEach(m -> RETRIEVAL.forEach(k -> h.append("<th>").append(Html.escape(m)).append(" <code>")
                .append(Html.escape(k)).append("</code></th>")));
        h.append("<th>report</th></tr>\n");
        for (int i = 0; i < cells.size(); i++) {
            Cell c = cells.get(i);
            h.append("<tr>").append(Html.figureCell(c.targetComplexity(), "cells", i, "targetComplexity"))
                    .append(Html.figureCell(c.seed(), "cells", i, "seed"))
                    .append(Html.figureCell(c.averageComplexity(), "cells", i, "averageComplexity"))
                    .append(Html.figureCell(c.trainImages(), "cells", i, "trainImages"))
                    .append(Html.figureCell(c.wallSeconds(), "cells", i, "wallSeconds"));
            for (String m : modes) {
                ExperimentSummary.ModeResult r = c.modes().get(m);
                for (String k : RETRIEVAL) {
                    h.append(r == null ? Html.absentCell() : Html.figureCell(r.test().get(k), "cells", i, "modes", m, "test", k));
                }
            }
            h.append("<td>").append(link(c.runDir())).append("</td></tr>\n");
        }
        h.append("</table>\n");
        byType(h, cells);
        h.append("</section>\n");
    }

    /** Mapping F1 per attribute type, per cell: which attributes get harder as the images fill up. */
    private static void byType(StringBuilder h, List<Cell> cells) {
        List<String> types = ExperimentPage.keys(cells.stream().map(Cell::mappingByType).toList());
        if (types.isEmpty()) {
            return;
        }
        h.append("<h3>Mapping F1 per attribute type (TEST)</h3>\n<table>\n<tr><th>target complexity</th><th>seed</th>");
        types.forEach(t -> h.append("<th>").append(Html.escape(t)).append("</th>"));
        h.append("</tr>\n");
        for (int i = 0; i < cells.size(); i++) {
            Cell c = cells.get(i);
            h.append("<tr>").append(Html.figureCell(c.targetComplexity(), "cells", i, "targetComplexity"))
                    .append(Html.figureCell(c.seed(), "cells", i, "seed"));
            for (String t : types) {
                Map<String, Double> q = c.mappingByType().get(t);
                h.append(q == null ? Html.absentCell() : Html.figureCell(q.get("f1"), "cells", i, "mappingByType", t, "f1"));
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    /** The cell's own report, relative to the experiment's page; only a plain relative path becomes a link. */
    static String link(String runDir) {
        if (runDir == null || runDir.isBlank()) {
            return "<span class=\"missing\">none</span>";
        }
        String dir = runDir.replace('\\', '/');
        if (dir.startsWith("/") || dir.contains(":")) {
            return Html.escape(runDir);
        }
        String href = (dir.endsWith("/") ? dir : dir + "/") + ReportPage.FILE_NAME;
        return "<a href=\"" + Html.escape(href) + "\">" + Html.escape(href) + "</a>";
    }
}
