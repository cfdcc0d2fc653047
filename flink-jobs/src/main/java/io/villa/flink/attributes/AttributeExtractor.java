package io.villa.flink.attributes;

import java.io.Serializable;
import java.util.List;

import io.villa.language.FindingExtractor;
import io.villa.language.ReportFindings;
import io.villa.language.ReportReader;
import io.villa.language.Triggers;
import io.villa.language.UncertainPolicy;

/**
 * The attribute extraction (docs/ARCHITECTURE.md, "Report language"): the report's sentences and sections, the
 * vocabulary's surface forms in them, and for each mention whether it is positive, negated or uncertain. An attribute
 * is present when a sentence of a counted section mentions it positively (or uncertainly, with
 * {@link UncertainPolicy#POSITIVE}).
 */
public final class AttributeExtractor implements Serializable {

    private static final long serialVersionUID = 2L;

    private final AttributeVocabulary vocabulary;
    private final FindingExtractor findings;
    private final UncertainPolicy uncertain;

    /** The shipped triggers; uncertain mentions ignored. */
    public AttributeExtractor(AttributeVocabulary vocabulary) {
        this(vocabulary, Triggers.standard(), UncertainPolicy.IGNORE);
    }

    public AttributeExtractor(AttributeVocabulary vocabulary, Triggers triggers, UncertainPolicy uncertain) {
        this.vocabulary = vocabulary;
        this.findings = new FindingExtractor(vocabulary.language(), triggers);
        this.uncertain = uncertain;
    }

    public AttributeVocabulary vocabulary() {
        return vocabulary;
    }

    public UncertainPolicy uncertainPolicy() {
        return uncertain;
    }

    /** The report's sentences as the shipped splitter and sections read them (headers removed). */
    public static List<String> sentences(String report) {
        return ReportReader.standard().sentences(report);
    }

    public ExtractedAttributes extract(String report) {
        return of(findings.extract(report));
    }

    /** Over sentences split already (their section headers are still read). */
    public ExtractedAttributes extract(List<String> sentences) {
        return of(findings.extractSentences(sentences));
    }

    /** Every finding, with its polarity (for {@code villa extract}). */
    public ReportFindings findings(String report) {
        return findings.extract(report);
    }

    private ExtractedAttributes of(ReportFindings found) {
        return new ExtractedAttributes(found.sentenceTexts(), found.present(uncertain));
    }
}
