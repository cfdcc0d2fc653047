package io.villa.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the page tests read off a page: its tagged figures and its images. */
final class PageScraper {

    private static final Pattern FIGURE = Pattern.compile("data-figure=\"([^\"]*)\">([^<]*)<");
    private static final Pattern IMG = Pattern.compile("<img\\s+src=\"([^\"]*)\"");

    private PageScraper() {}

    /** pointer -> printed text, for every figure element of the page; a figure printed twice must read the same. */
    static Map<String, String> figures(String html) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = FIGURE.matcher(html);
        while (m.find()) {
            String previous = out.put(m.group(1), m.group(2));
            if (previous != null) {
                assertThat(m.group(2))
                        .as("the same figure printed twice the same way: " + m.group(1))
                        .isEqualTo(previous);
            }
        }
        assertThat(out).isNotEmpty();
        return out;
    }

    /** The sources of the page's images, in order. */
    static List<String> images(String html) {
        List<String> out = new ArrayList<>();
        Matcher m = IMG.matcher(html);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** The figure's own name: the last segment of its JSON Pointer, unescaped. */
    static String lastSegment(String pointer) {
        return pointer.substring(pointer.lastIndexOf('/') + 1)
                .replace("~1", "/")
                .replace("~0", "~");
    }
}
