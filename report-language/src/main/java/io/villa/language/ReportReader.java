package io.villa.language;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * A report as sentences with their sections: the {@link SentenceSplitter}, then {@link Sections}. A header-only
 * sentence ("FINDINGS:") sets the section and is not a sentence; a sentence after a header keeps its text without it.
 */
public final class ReportReader implements Serializable {

    private static final long serialVersionUID = 1L;

    private final SentenceSplitter splitter;
    private final Sections sections;

    public ReportReader(SentenceSplitter splitter, Sections sections) {
        this.splitter = splitter;
        this.sections = sections;
    }

    /** The shipped splitter and sections. */
    public static ReportReader standard() {
        return new ReportReader(SentenceSplitter.standard(), Triggers.standard().sections());
    }

    public List<ReportSentence> read(String report) {
        return sectioned(splitter.split(report));
    }

    /** Sections over sentences split already. */
    public List<ReportSentence> sectioned(List<String> sentences) {
        List<ReportSentence> out = new ArrayList<>(sentences.size());
        String section = "";
        boolean counted = true;
        for (String s : sentences) {
            Sections.Header h = sections.header(s);
            String text = s;
            if (h != null) {
                section = h.section();
                counted = h.counted();
                text = h.rest();
            }
            if (!text.isEmpty()) {
                out.add(new ReportSentence(text, section, counted));
            }
        }
        return out;
    }

    /** Only the sentences' text. */
    public List<String> sentences(String report) {
        return read(report).stream().map(ReportSentence::text).toList();
    }
}
