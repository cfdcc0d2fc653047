package io.villa.report;

import java.util.Base64;

/** The few HTML helpers the page needs. */
final class Html {

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

    /** A JSON Pointer (RFC 6901) to a figure in summary.json. */
    static String pointer(Object... parts) {
        StringBuilder sb = new StringBuilder();
        for (Object part : parts) {
            sb.append('/').append(String.valueOf(part).replace("~", "~0").replace("/", "~1"));
        }
        return sb.toString();
    }
}
