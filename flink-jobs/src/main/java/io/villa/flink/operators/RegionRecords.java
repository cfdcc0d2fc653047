package io.villa.flink.operators;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.villa.flink.attributes.AttributeVocabulary;
import io.villa.flink.attributes.ExtractedAttributes;
import io.villa.flink.mapping.Assignment;
import io.villa.records.Box;
import io.villa.records.Image;
import io.villa.records.ImageFormat;
import io.villa.records.RegionAttributePair;
import io.villa.records.Split;

/**
 * Builds the output of one pair: a {@link RegionAttributePair} per region with at least one assigned
 * attribute (its text: for each assigned attribute the first report sentence that states it, joined " . "),
 * plus one for the whole image with the whole report. Each record names, per attribute, the indexes of the report
 * sentences that state it ({@code attributeSentences}).
 */
public final class RegionRecords {

    public static final String JOIN = " . ";

    private RegionRecords() {
    }

    public static List<RegionAttributePair> of(PreparedPair pair, ExtractedAttributes found, Assignment assignment,
                                               AttributeVocabulary vocabulary, long modelVersion) {
        List<RegionAttributePair> out = new ArrayList<>();
        Split split = Split.valueOf(pair.split);
        Instant time = Instant.ofEpochMilli(pair.eventTime);
        for (int r = 0; r < assignment.regionCount(); r++) {
            Map<Integer, Float> assigned = assignment.region(r);
            if (assigned.isEmpty()) {
                continue;
            }
            List<String> words = new ArrayList<>();
            Map<String, Float> scores = new LinkedHashMap<>();
            Map<String, List<Integer>> carriedBy = new LinkedHashMap<>();
            Set<String> sentences = new LinkedHashSet<>();
            for (Map.Entry<Integer, Float> e : assigned.entrySet()) {
                String word = vocabulary.word(e.getKey());
                words.add(word);
                scores.put(word, e.getValue());
                carriedBy.put(word, found.sentenceIndexes().get(e.getKey()));
                sentences.add(found.firstSentence(e.getKey()));
            }
            int[] b = pair.boxes[r];
            out.add(RegionAttributePair.newBuilder()
                    .setPairId(pair.pairId)
                    .setRegionIndex(r)
                    .setWholeImage(false)
                    .setBox(new Box(b[0], b[1], b[2], b[3]))
                    .setRegionImage(new Image(ByteBuffer.wrap(pair.regionPng[r]), ImageFormat.PNG, b[2], b[3]))
                    .setAttributes(words)
                    .setText(String.join(JOIN, sentences))
                    .setScores(scores)
                    .setAttributeSentences(carriedBy)
                    .setModelVersion(modelVersion)
                    .setSplit(split)
                    .setGroundTruth(pair.groundTruth == null ? null
                            : r < pair.groundTruth.length ? Arrays.asList(pair.groundTruth[r]) : List.of())
                    .setEventTime(time)
                    .build());
        }
        List<String> all = new ArrayList<>();
        Map<String, List<Integer>> allCarriedBy = new LinkedHashMap<>();
        for (int a : found.present()) {
            all.add(vocabulary.word(a));
            allCarriedBy.put(vocabulary.word(a), found.sentenceIndexes().get(a));
        }
        out.add(RegionAttributePair.newBuilder()
                .setPairId(pair.pairId)
                .setRegionIndex(-1)
                .setWholeImage(true)
                .setBox(new Box(0, 0, pair.width, pair.height))
                .setRegionImage(new Image(ByteBuffer.wrap(pair.imageData), ImageFormat.valueOf(pair.imageFormat),
                        pair.width, pair.height))
                .setAttributes(all)
                .setText(pair.report)
                .setScores(Map.of())
                .setAttributeSentences(allCarriedBy)
                .setModelVersion(modelVersion)
                .setSplit(split)
                .setGroundTruth(null)
                .setEventTime(time)
                .build());
        return out;
    }
}
