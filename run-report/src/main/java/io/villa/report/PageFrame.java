package io.villa.report;

import java.util.Map;

/**
 * What the run's page and the experiment's page share around their own sections: the head with its inline style, the
 * heading, the end, and the table of when the run started, how long it took, whether it stopped early, and its
 * settings (each figure tagged with its JSON Pointer, as everywhere on the pages).
 */
final class PageFrame {

    private PageFrame() {}

    /** A self-contained page begun: doctype, head (title, viewport, {@code css} inline), body and its heading. */
    static StringBuilder open(int capacity, String title, String css, String heading) {
        return new StringBuilder(capacity)
                .append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>")
                .append(Html.escape(title))
                .append("</title>\n")
                .append("<style>\n")
                .append(css)
                .append("</style>\n</head>\n<body>\n")
                .append("<h1>")
                .append(Html.escape(heading))
                .append("</h1>\n");
    }

    /** The page ended. */
    static String close(StringBuilder h) {
        return h.append("</body>\n</html>\n").toString();
    }

    /** The run's facts, then its settings where it has any; the wall time is the figure {@code /wallSeconds}. */
    static void facts(
            StringBuilder h, String started, double wallSeconds, boolean stoppedEarly, Map<String, String> settings) {
        h.append("<table>\n<tr><th>started</th><td>")
                .append(Html.escape(started))
                .append("</td></tr>\n")
                .append("<tr><th>wall time</th>")
                .append(Html.figureCell(wallSeconds, "wallSeconds"))
                .append("<td>seconds</td></tr>\n")
                .append("<tr><th>stopped early</th><td>")
                .append(stoppedEarly ? "yes" : "no")
                .append("</td></tr>\n")
                .append("</table>\n");
        if (!settings.isEmpty()) {
            h.append("<h3>Settings</h3>\n<table>\n<tr><th>setting</th><th>value</th></tr>\n");
            settings.forEach((k, v) -> h.append("<tr><td>")
                    .append(Html.escape(k))
                    .append("</td><td>")
                    .append(Html.escape(v))
                    .append("</td></tr>\n"));
            h.append("</table>\n");
        }
    }
}
