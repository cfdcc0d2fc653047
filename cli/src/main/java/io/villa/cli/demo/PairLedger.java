package io.villa.cli.demo;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each produced pair went, by pair id: decomposed (a whole-image record was written) or dead-lettered
 * (a stage rejected it). A pair with neither is unaccounted for (still in flight while the job runs); one
 * with more outcomes than productions was counted twice. Counting per id, not in totals, is what keeps two
 * errors from cancelling out. Not thread-safe: the monitor's reading thread owns it.
 */
final class PairLedger {

    /** Split of a pair whose produced record could not be read (its split is unknown). */
    static final String UNKNOWN_SPLIT = "UNKNOWN";
    private static final List<String> SPLIT_ORDER = List.of("TRAIN", "VAL", "TEST", UNKNOWN_SPLIT);

    /** Per pair id: how often it was produced, decomposed and dead-lettered, and its split. */
    private static final class Entry {
        int produced;
        int decomposed;
        int deadLettered;
        String split;

        long unaccounted() {
            return Math.max(0, produced - decomposed - deadLettered);
        }

        long countedTwice() {
            return Math.max(0, decomposed + deadLettered - produced);
        }
    }

    private final Map<String, Entry> byId = new HashMap<>();

    void produced(String pairId, String split) {
        Entry e = entry(pairId);
        e.produced++;
        if (split != null) {
            e.split = split;
        }
    }

    void decomposed(String pairId, String split) {
        Entry e = entry(pairId);
        e.decomposed++;
        if (e.split == null && split != null) {
            e.split = split;
        }
    }

    void deadLettered(String pairId) {
        entry(pairId).deadLettered++;
    }

    private Entry entry(String pairId) {
        return byId.computeIfAbsent(pairId, k -> new Entry());
    }

    /** Totals over all pairs and per split. */
    Totals totals() {
        Map<String, long[]> bySplit = new HashMap<>();
        long[] all = new long[5];
        for (Entry e : byId.values()) {
            long[] row = {e.produced, e.decomposed, e.deadLettered, e.unaccounted(), e.countedTwice()};
            long[] split = bySplit.computeIfAbsent(e.split == null ? UNKNOWN_SPLIT : e.split, k -> new long[5]);
            for (int i = 0; i < row.length; i++) {
                all[i] += row[i];
                split[i] += row[i];
            }
        }
        Map<String, PipelineCounts.Pairs> splits = new LinkedHashMap<>();
        for (String s : SPLIT_ORDER) {
            long[] row = bySplit.remove(s);
            if (row != null) {
                splits.put(s, pairs(row));
            }
        }
        bySplit.forEach((s, row) -> splits.put(s, pairs(row))); // a split this code does not know yet
        return new Totals(pairs(all), splits);
    }

    private static PipelineCounts.Pairs pairs(long[] row) {
        return new PipelineCounts.Pairs(row[0], row[1], row[2], row[3], row[4]);
    }

    /** @param splits split (TRAIN, VAL, TEST, {@value #UNKNOWN_SPLIT}) -> its pairs' counts */
    record Totals(PipelineCounts.Pairs all, Map<String, PipelineCounts.Pairs> splits) {
    }
}
