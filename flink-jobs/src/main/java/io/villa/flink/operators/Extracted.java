package io.villa.flink.operators;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.villa.flink.attributes.AttributeExtractor;
import io.villa.flink.attributes.ExtractedAttributes;

/** The attributes of a {@link PreparedPair}: kept on the pair by {@link ValidateAndPrepare}, read back by the mapping operators. */
final class Extracted {

    private Extracted() {
    }

    /** Keeps what extraction found on the pair (a Flink POJO: arrays only). */
    static void store(ExtractedAttributes found, PreparedPair pair) {
        int[] present = found.present();
        pair.attributes = present;
        pair.attributeSentences = new int[present.length][];
        for (int k = 0; k < present.length; k++) {
            pair.attributeSentences[k] = found.sentenceIndexes().get(present[k]).stream().mapToInt(Integer::intValue).toArray();
        }
    }

    /**
     * What the pair's report names: as found by validation, or, for a pair restored from a checkpoint written before
     * pairs kept it, extracted again from its sentences.
     */
    static ExtractedAttributes of(PreparedPair pair, AttributeExtractor extractor) {
        if (pair.attributes == null) {
            return extractor.extract(List.of(pair.sentences));
        }
        Map<Integer, List<Integer>> indexes = new TreeMap<>();
        for (int k = 0; k < pair.attributes.length; k++) {
            indexes.put(pair.attributes[k], new ArrayList<>(Arrays.stream(pair.attributeSentences[k]).boxed().toList()));
        }
        return new ExtractedAttributes(Arrays.asList(pair.sentences), indexes);
    }
}
