package io.villa.report;

import java.util.Base64;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The few HTML helpers the page needs. */
final class Html {

    private static final Logger LOG = LoggerFactory.getLogger(Html.class);

    private Html() {
    }

    /** Text (and attribute values) made safe to put in HTML: settings, ids and paths come from users. */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** A PNG embedded in the page itself, so the file opens without a server or anything beside it. */
    static String pngDataUri(byte[] png) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
    }

    /** A JSON Pointer (RFC 6901) to a figure in summary.json (or experiment.json). */
    static String pointer(Object... parts) {
        StringBuilder sb = new StringBuilder();
        for (Object part : parts) {
            sb.append('/').append(String.valueOf(part).replace("~", "~0").replace("/", "~1"));
        }
        return sb.toString();
    }

    /**
     * The one place a number reaches a page: {@link Figures#format}, in a table cell tagged with its JSON Pointer in the
     * page's JSON file; a non-finite figure is a dash without a pointer (it is null or absent in the file too).
     */
    static String figureCell(Number value, Object... pointer) {
        return isFinite(value) ? tagged("td class=\"num\"", "td", value, pointer) : absentCell();
    }

    /** The same figure inline, for text around it: a tagged span, or a dash. */
    static String figureSpan(Number value, Object... pointer) {
        return isFinite(value) ? tagged("span", "span", value, pointer) : "<span class=\"missing\">\u2013</span>";
    }

    private static boolean isFinite(Number value) {
        return value != null && Double.isFinite(value.doubleValue());
    }

    private static String tagged(String open, String close, Number value, Object... pointer) {
        String key = String.valueOf(pointer[pointer.length - 1]);   // the figure's own name: "f1", "t2r.map", "steps"
        return "<" + open + " data-figure=\"" + escape(pointer(pointer)) + "\">" + escape(Figures.format(key, value))
                + "</" + close + ">";
    }

    static String absentCell() {
        return "<td class=\"num missing\">\u2013</td>";
    }

    /** A chart, or a note where drawing failed (no usable fonts on a bare machine): the figures beside it still stand. */
    static void image(StringBuilder h, String alt, Supplier<byte[]> png) {
        try {
            h.append("<figure><img src=\"").append(pngDataUri(png.get())).append("\" alt=\"").append(escape(alt))
                    .append("\"><figcaption>").append(escape(alt)).append("</figcaption></figure>\n");
        } catch (RuntimeException | LinkageError | InternalError e) {
            LOG.warn("chart '{}' could not be drawn: {}", alt, e.toString());
            h.append("<p class=\"missing\">chart could not be drawn: ").append(escape(alt)).append("</p>\n");
        }
    }
}
