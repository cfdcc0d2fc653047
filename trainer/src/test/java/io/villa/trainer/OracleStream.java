package io.villa.trainer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.producer.ProducerRecord;

import io.villa.records.ImageReportPair;
import io.villa.records.RegionAttributePair;
import io.villa.records.Split;
import io.villa.schemas.Codecs;
import io.villa.trainer.oracle.OracleDecomposition;

/**
 * DocMNIST through the ORACLE decomposition (ground truth, not the mapping model): the
 * region-attribute records the trainer's tests stream through Kafka.
 */
public final class OracleStream {

    private OracleStream() {
    }

    public static List<RegionAttributePair> records(Split split, int budget, int complexity, long seed) {
        List<RegionAttributePair> out = new ArrayList<>();
        for (ImageReportPair pair : DocMnistData.pairs(split, budget, complexity, seed)) {
            out.addAll(OracleDecomposition.decompose(pair));
        }
        return out;
    }

    public static List<ProducerRecord<byte[], byte[]>> kafkaRecords(String topic, List<RegionAttributePair> records) {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        for (RegionAttributePair r : records) {
            out.add(new ProducerRecord<>(topic, r.getPairId().toString().getBytes(StandardCharsets.UTF_8),
                    Codecs.REGION_ATTRIBUTE_PAIR.encode(r)));
        }
        return out;
    }

    /** Drops whole pairs from the end until the count is not 1 more than a multiple of {@code batch}: a lone last
     * example cannot form a contrastive batch and would wait for more data. */
    public static List<RegionAttributePair> withoutLoneLast(List<RegionAttributePair> records, int batch) {
        List<List<RegionAttributePair>> pairs = new ArrayList<>(byPair(records));
        List<RegionAttributePair> out = new ArrayList<>(records);
        while (out.size() % batch == 1) {
            out.removeAll(pairs.remove(pairs.size() - 1));
        }
        return out;
    }

    /** The records with each pair's kept together and in order (regions, then the whole image), pairs shuffled. */
    public static List<RegionAttributePair> shuffledByPair(List<RegionAttributePair> records, long seed) {
        List<List<RegionAttributePair>> pairs = new ArrayList<>(byPair(records));
        java.util.Collections.shuffle(pairs, new java.util.Random(seed));
        List<RegionAttributePair> out = new ArrayList<>();
        pairs.forEach(out::addAll);
        return out;
    }

    /**
     * Pairs two by two with their records interleaved (a's first region, b's first region, ...), each pair's whole image
     * still after its own regions: what two producers writing one partition can make of the stream.
     */
    public static List<RegionAttributePair> interleavedPairs(List<RegionAttributePair> records) {
        List<List<RegionAttributePair>> pairs = new ArrayList<>(byPair(records));
        List<RegionAttributePair> out = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i += 2) {
            List<RegionAttributePair> a = pairs.get(i);
            List<RegionAttributePair> b = i + 1 < pairs.size() ? pairs.get(i + 1) : List.of();
            for (int k = 0; k < Math.max(a.size(), b.size()); k++) {
                if (k < a.size()) {
                    out.add(a.get(k));
                }
                if (k < b.size()) {
                    out.add(b.get(k));
                }
            }
        }
        return out;
    }

    /** Each pair's records, in order, pairs in order of first appearance. */
    public static java.util.Collection<List<RegionAttributePair>> byPair(List<RegionAttributePair> records) {
        java.util.Map<String, List<RegionAttributePair>> byPair = new java.util.LinkedHashMap<>();
        records.forEach(r -> byPair.computeIfAbsent(r.getPairId().toString(), k -> new ArrayList<>()).add(r));
        return byPair.values();
    }

    public static String key(RegionAttributePair r) {
        return r.getPairId() + "#" + r.getRegionIndex();
    }
}
