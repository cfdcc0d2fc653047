package io.villa.flink.attributes;

import java.util.List;
import java.util.Map;

/**
 * What attribute extraction found in one report.
 *
 * @param sentences        the report's sentences, in order
 * @param sentencesByIndex for each attribute index present (ascending), the sentences that mention it
 */
public record ExtractedAttributes(List<String> sentences, Map<Integer, List<String>> sentencesByIndex) {

    /** Attribute indexes present in the report, ascending. */
    public int[] present() {
        return sentencesByIndex.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    public boolean isEmpty() {
        return sentencesByIndex.isEmpty();
    }
}
