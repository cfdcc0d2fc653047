package io.villa.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class PageFrameTest {

    @Test
    void aPageIsSelfContainedAndEscapesItsTitle() {
        StringBuilder h = PageFrame.open(1024, "run <2026>", "body{margin:0}\n", "Heading & more");
        h.append("<p>section</p>\n");

        String page = PageFrame.close(h);

        assertThat(page)
                .startsWith("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .contains("<title>run &lt;2026&gt;</title>\n<style>\nbody{margin:0}\n</style>\n</head>\n<body>\n"
                        + "<h1>Heading &amp; more</h1>\n<p>section</p>\n")
                .endsWith("</body>\n</html>\n")
                .doesNotContain("<script")
                .doesNotContain("<link");
    }

    @Test
    void theFactsTagTheWallTimeAndListTheSettingsInOrder() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("seed", "42");
        settings.put("out", "runs/<x>");
        StringBuilder h = new StringBuilder();

        PageFrame.facts(h, "2026-12-02T05:00:00Z", 187.25, true, settings);

        String facts = h.toString();
        assertThat(facts)
                .contains("<tr><th>started</th><td>2026-12-02T05:00:00Z</td></tr>")
                .contains("data-figure=\"/wallSeconds\">" + Figures.format("wallSeconds", 187.25) + "<")
                .contains("<tr><th>stopped early</th><td>yes</td></tr>")
                .contains("<h3>Settings</h3>");
        assertThat(facts.indexOf("<td>seed</td><td>42</td>"))
                .isPositive()
                .isLessThan(facts.indexOf("<td>out</td><td>runs/&lt;x&gt;</td>"));
    }

    @Test
    void noSettingsNoSettingsTableAndAMissingWallTimeIsADash() {
        StringBuilder h = new StringBuilder();

        PageFrame.facts(h, "t0", Double.NaN, false, Map.of());

        assertThat(h.toString())
                .doesNotContain("Settings")
                .doesNotContain("data-figure")
                .contains(Html.absentCell())
                .contains("<td>no</td>");
    }
}
