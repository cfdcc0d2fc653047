package io.villa.flink.mapping;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Mapping precision / recall / F1 against ground truth, per split (docs/ARCHITECTURE.md): precision = correct
 * assignments / all assignments, recall = correct assignments / all true region-attribute pairs.
 * Images without ground truth are not counted.
 */
public final class MappingQuality implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Counts for one split. */
    public static final class Counts implements Serializable {
        private static final long serialVersionUID = 1L;
        public long correct;
        public long assigned;
        public long truePairs;
        public long images;

        public double precision() {
            return assigned == 0 ? 0 : (double) correct / assigned;
        }

        public double recall() {
            return truePairs == 0 ? 0 : (double) correct / truePairs;
        }

        public double f1() {
            double p = precision();
            double r = recall();
            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }

        @Override
        public String toString() {
            return String.format("images=%d precision=%.4f recall=%.4f f1=%.4f", images, precision(), recall(), f1());
        }
    }

    private final Map<String, Counts> bySplit = new TreeMap<>();
    private final Map<String, Counts> recentBySplit = new TreeMap<>();
    private final Map<String, java.util.ArrayDeque<long[]>> windows = new TreeMap<>();
    private final int window;

    /** Cumulative counts only. */
    public MappingQuality() {
        this(0);
    }

    /** Cumulative counts, and counts over the last {@code window} images of each split (to see the model improve). */
    public MappingQuality(int window) {
        this.window = window;
    }

    /** Adds one image; {@code truth} has one attribute-index array per region, or is null when unknown. */
    public void add(String split, Assignment assignment, List<int[]> truth) {
        if (truth == null || truth.isEmpty()) {
            return;
        }
        add(split, counts(assignment, truth));
    }

    /** One image's counts against its truth: correct assignments, all assignments, true region-attribute pairs. */
    public static long[] counts(Assignment assignment, List<int[]> truth) {
        long[] image = new long[3];
        for (int r = 0; r < assignment.regionCount(); r++) {
            int[] t = r < truth.size() ? truth.get(r) : new int[0];
            Map<Integer, Float> assigned = assignment.region(r);
            image[1] += assigned.size();
            for (int a : t) {
                if (assigned.containsKey(a)) {
                    image[0]++;
                }
            }
        }
        for (int[] t : truth) {
            image[2] += t.length;
        }
        return image;
    }

    /** Adds one image's {@link #counts}. */
    public void add(String split, long[] image) {
        add(bySplit.computeIfAbsent(split, k -> new Counts()), image, 1);
        if (window > 0) {
            java.util.ArrayDeque<long[]> w = windows.computeIfAbsent(split, k -> new java.util.ArrayDeque<>());
            Counts recent = recentBySplit.computeIfAbsent(split, k -> new Counts());
            w.addLast(image);
            add(recent, image, 1);
            if (w.size() > window) {
                add(recent, w.removeFirst(), -1);
            }
        }
    }

    private static void add(Counts c, long[] image, int sign) {
        c.correct += sign * image[0];
        c.assigned += sign * image[1];
        c.truePairs += sign * image[2];
        c.images += sign;
    }

    /** Counts over the last {@code window} images of the split (empty counts without a window). */
    public Counts recent(String split) {
        return recentBySplit.getOrDefault(split, new Counts());
    }

    public Counts split(String split) {
        return bySplit.getOrDefault(split, new Counts());
    }

    public Map<String, Counts> all() {
        return bySplit;
    }
}
