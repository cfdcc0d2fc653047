package io.villa.language;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a report into {@link ReportFindings}: sentences and sections ({@link ReportReader}), surface forms of the
 * vocabulary in each counted sentence ({@link PhraseMatcher}), and for each mention its polarity ({@link Scope}). Last,
 * a {@code @normal} attribute ("no finding") is dropped where another attribute that is not {@code @neutral} is
 * positive or uncertain anywhere in the report (its negated mentions stay). Thread-safe; no state between reports.
 */
public final class FindingExtractor implements Serializable {

    private static final long serialVersionUID = 1L;

    private final Vocabulary vocabulary;
    private final Triggers triggers;
    private final ReportReader reader;

    public FindingExtractor(Vocabulary vocabulary, Triggers triggers) {
        this.vocabulary = vocabulary;
        this.triggers = triggers;
        this.reader = new ReportReader(SentenceSplitter.standard(), triggers.sections());
    }

    /** The vocabulary with the shipped triggers. */
    public static FindingExtractor standard(Vocabulary vocabulary) {
        return new FindingExtractor(vocabulary, Triggers.standard());
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    public Triggers triggers() {
        return triggers;
    }

    public ReportFindings extract(String report) {
        return extract(reader.read(report));
    }

    /** Over sentences split already (sections are still read from them). */
    public ReportFindings extractSentences(List<String> sentences) {
        return extract(reader.sectioned(sentences));
    }

    private ReportFindings extract(List<ReportSentence> sentences) {
        List<Finding> findings = new ArrayList<>();
        for (int s = 0; s < sentences.size(); s++) {
            ReportSentence sentence = sentences.get(s);
            if (sentence.counted()) {
                sentence(sentence.text(), s, findings);
            }
        }
        if (vocabulary.hasNormal()) {
            findings = normalRule(findings);
        }
        return new ReportFindings(List.copyOf(sentences), List.copyOf(findings));
    }

    private void sentence(String text, int index, List<Finding> out) {
        String[] tokens = Words.tokens(text);
        List<PhraseMatcher.Match<Integer>> mentions = vocabulary.matcher().find(tokens);
        if (mentions.isEmpty()) {
            return;
        }
        Polarity[] polarity = Scope.polarities(tokens, mentions, triggers.matcher().find(tokens));
        int first = out.size();
        for (int k = 0; k < mentions.size(); k++) {
            int a = mentions.get(k).value();
            if (a == Vocabulary.IGNORED) {
                continue;
            }
            Finding f = new Finding(a, polarity[k], index);
            if (!out.subList(first, out.size()).contains(f)) {
                out.add(f);
            }
        }
    }

    /** CheXpert's rule for "no finding": only where nothing else (but devices) is positive or uncertain. */
    private List<Finding> normalRule(List<Finding> findings) {
        boolean any = false;
        for (Finding f : findings) {
            any |= f.polarity() != Polarity.NEGATED && !vocabulary.isNormal(f.attribute()) && !vocabulary.isNeutral(f.attribute());
        }
        if (!any) {
            return findings;
        }
        List<Finding> kept = new ArrayList<>(findings.size());
        for (Finding f : findings) {
            if (!vocabulary.isNormal(f.attribute()) || f.polarity() == Polarity.NEGATED) {
                kept.add(f);
            }
        }
        return kept;
    }
}
