package io.villa.flink.attributes;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The attribute extraction (docs/ARCHITECTURE.md): split the report into sentences; an attribute is present when a
 * sentence contains its word (or phrase) as a whole word, case-insensitively.
 */
public final class AttributeExtractor implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Sentence ends: " . " as DocMNIST joins them, or . ! ? ; followed by space/end, or a line break. */
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?;])\\s+|\\s+\\.\\s+|[\\r\\n]+|\\.$");

    private final AttributeVocabulary vocabulary;
    private transient Pattern[] patterns;

    public AttributeExtractor(AttributeVocabulary vocabulary) {
        this.vocabulary = vocabulary;
    }

    public AttributeVocabulary vocabulary() {
        return vocabulary;
    }

    /** The report's non-empty sentences, trimmed, without their final punctuation. */
    public static List<String> sentences(String report) {
        List<String> out = new ArrayList<>();
        if (report == null) {
            return out;
        }
        for (String part : SENTENCE_END.split(report)) {
            String s = part.trim().replaceAll("[.!?;]+$", "").trim();
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    public ExtractedAttributes extract(String report) {
        return extract(sentences(report));
    }

    public ExtractedAttributes extract(List<String> sentences) {
        Pattern[] p = patterns();
        Map<Integer, List<String>> found = new TreeMap<>();
        for (String sentence : sentences) {
            for (int a = 0; a < p.length; a++) {
                if (p[a].matcher(sentence).find()) {
                    found.computeIfAbsent(a, k -> new ArrayList<>()).add(sentence);
                }
            }
        }
        return new ExtractedAttributes(List.copyOf(sentences), found);
    }

    private Pattern[] patterns() {
        if (patterns == null) {
            Pattern[] p = new Pattern[vocabulary.size()];
            for (int a = 0; a < p.length; a++) {
                // whole word: no letter or digit right before or after; inner spaces of a phrase match any whitespace
                String body = Pattern.quote(vocabulary.word(a)).replace(" ", "\\E\\s+\\Q");
                p[a] = Pattern.compile("(?<![\\p{L}\\p{N}])" + body + "(?![\\p{L}\\p{N}])",
                        Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
            }
            patterns = p;
        }
        return patterns;
    }
}
