package io.villa.flink.attributes;

import java.util.List;
import java.util.Map;

/**
 * What attribute extraction found in one report.
 *
 * @param sentences       the report's sentences, in order (section headers removed)
 * @param sentenceIndexes for each attribute index present (ascending), the ascending indexes of the sentences that
 *                        carry it
 */
public record ExtractedAttributes(List<String> sentences, Map<Integer, List<Integer>> sentenceIndexes) {

    /** Attribute indexes present in the report, ascending. */
    public int[] present() {
        return sentenceIndexes.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    public boolean isEmpty() {
        return sentenceIndexes.isEmpty();
    }

    /** The first sentence that carries attribute {@code index}. */
    public String firstSentence(int index) {
        return sentences.get(sentenceIndexes.get(index).get(0));
    }
}
