package io.villa.flink.operators;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.villa.flink.attributes.AttributeVocabulary;
import io.villa.flink.attributes.ExtractedAttributes;
import io.villa.flink.mapping.MappingConfig;
import io.villa.flink.mapping.MappingExample;

/** A prepared pair as the mapping model sees it. */
final class MappingExamples {

    private MappingExamples() {
    }

    /** The pair's regions, the attributes its report names, and per region its true attributes when known. */
    static MappingExample of(PreparedPair pair, ExtractedAttributes found, AttributeVocabulary vocabulary) {
        List<int[]> truth = new ArrayList<>();
        for (int r = 0; r < pair.regionCount(); r++) {
            truth.add(pair.groundTruth == null || r >= pair.groundTruth.length ? new int[0]
                    : Arrays.stream(pair.groundTruth[r]).mapToInt(vocabulary::indexOf).filter(i -> i >= 0).toArray());
        }
        return new MappingExample(List.of(pair.regionPixels), found.present(), pair.groundTruth == null ? null : truth);
    }

    /** Throws unless every region has the pixels the model takes (3 x regionSize x regionSize). */
    static void checkShape(MappingExample example, MappingConfig config) {
        int expected = 3 * config.regionSize() * config.regionSize();
        for (int r = 0; r < example.regionCount(); r++) {
            int got = example.regionPixels().get(r).length;
            if (got != expected) {
                throw new IllegalArgumentException("region " + r + " has " + got + " pixel values, the mapping model takes " + expected
                        + " (3x" + config.regionSize() + "x" + config.regionSize() + ")");
            }
        }
    }
}
