package io.villa.language;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a report says: its sentences and, for each attribute mentioned in a counted section, per sentence, whether it
 * is positive, negated or uncertain (one finding per attribute, sentence and polarity, in sentence order).
 *
 * @param sentences the report's sentences, headers removed, every section included
 * @param findings  mentions in counted sections, in sentence order
 */
public record ReportFindings(List<ReportSentence> sentences, List<Finding> findings) {

    /** The sentences' text. */
    public List<String> sentenceTexts() {
        List<String> out = new ArrayList<>(sentences.size());
        for (ReportSentence s : sentences) {
            out.add(s.text());
        }
        return out;
    }

    /**
     * The attributes present under {@code policy} (positive mentions; uncertain ones too with
     * {@link UncertainPolicy#POSITIVE}), ascending, each with the ascending indexes of the sentences that carry it.
     */
    public Map<Integer, List<Integer>> present(UncertainPolicy policy) {
        Map<Integer, List<Integer>> out = new TreeMap<>();
        for (Finding f : findings) {
            if (policy.counts(f.polarity())) {
                List<Integer> s = out.computeIfAbsent(f.attribute(), a -> new ArrayList<>());
                if (s.isEmpty() || s.get(s.size() - 1) != f.sentence()) {
                    s.add(f.sentence());
                }
            }
        }
        return out;
    }
}
