package io.villa.flink.mapping;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Mapping precision / recall / F1 against ground truth, per split (docs/ARCHITECTURE.md): precision = correct
 * assignments / all assignments, recall = correct assignments / all true region-attribute pairs. Also per attribute
 * type when the vocabulary declares types (an assignment or a true pair counts for its attribute's type).
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

        /** Adds one image's {correct, assigned, truePairs} ({@code sign} -1 takes it away). */
        void add(long[] image, int sign) {
            correct += sign * image[0];
            assigned += sign * image[1];
            truePairs += sign * image[2];
            images += sign;
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
    /** Null in a quality restored from before types existed, as {@code byType}. */
    private final List<String> types;
    /** Split -> type -> counts. */
    private final Map<String, Map<String, Counts>> byType = new TreeMap<>();

    /** Cumulative counts only, no types. */
    public MappingQuality() {
        this(0, List.of());
    }

    /**
     * Cumulative counts, and counts over the last {@code window} images of each split (to see the model improve).
     *
     * @param types the attribute types, in the order of the rows of {@link #counts(Assignment, List, int[], int)}
     */
    public MappingQuality(int window, List<String> types) {
        this.window = window;
        this.types = List.copyOf(types);
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
        return counts(assignment, truth, new int[0], 0)[0];
    }

    /**
     * One image's {correct, assigned, truePairs}: overall in row 0, for type t in row t + 1.
     *
     * @param typeOf per attribute index, its type's index, or -1 (untyped, or beyond the array: counted overall only)
     */
    public static long[][] counts(Assignment assignment, List<int[]> truth, int[] typeOf, int types) {
        long[][] image = new long[types + 1][3];
        for (int r = 0; r < assignment.regionCount(); r++) {
            int[] t = r < truth.size() ? truth.get(r) : new int[0];
            Map<Integer, Float> assigned = assignment.region(r);
            for (int a : assigned.keySet()) {
                count(image, typeOf, a, 1);
                if (contains(t, a)) {
                    count(image, typeOf, a, 0);
                }
            }
        }
        for (int[] t : truth) {
            for (int a : t) {
                count(image, typeOf, a, 2);
            }
        }
        return image;
    }

    private static void count(long[][] image, int[] typeOf, int attribute, int column) {
        image[0][column]++;
        if (attribute < typeOf.length && typeOf[attribute] >= 0) {
            image[typeOf[attribute] + 1][column]++;
        }
    }

    private static boolean contains(int[] values, int value) {
        for (int v : values) {
            if (v == value) {
                return true;
            }
        }
        return false;
    }

    /** Adds one image's overall {@link #counts}. */
    public void add(String split, long[] image) {
        bySplit.computeIfAbsent(split, k -> new Counts()).add(image, 1);
        if (window > 0) {
            java.util.ArrayDeque<long[]> w = windows.computeIfAbsent(split, k -> new java.util.ArrayDeque<>());
            Counts recent = recentBySplit.computeIfAbsent(split, k -> new Counts());
            w.addLast(image);
            recent.add(image, 1);
            if (w.size() > window) {
                recent.add(w.removeFirst(), -1);
            }
        }
    }

    /** Adds one image's {@link #counts(Assignment, List, int[], int)}, rows as the types given at construction. */
    public void add(String split, long[][] image) {
        add(split, image[0]);
        if (types == null) {
            return;
        }
        for (int t = 0; t < types.size() && t + 1 < image.length; t++) {
            byType.computeIfAbsent(split, k -> new LinkedHashMap<>()).computeIfAbsent(types.get(t), k -> new Counts())
                    .add(image[t + 1], 1);
        }
    }

    /** Type -> counts of the split, in the types' order; empty without types. */
    public Map<String, Counts> byType(String split) {
        return byType == null ? Map.of() : byType.getOrDefault(split, Map.of());
    }

    /**
     * The split's figures as trainer-event metrics: SPLIT.precision, SPLIT.recall, SPLIT.f1, SPLIT.images, and per
     * type SPLIT.precision.TYPE, SPLIT.recall.TYPE, SPLIT.f1.TYPE.
     */
    public void putMetrics(String split, Map<String, Double> into) {
        Counts c = split(split);
        into.put(split + ".precision", c.precision());
        into.put(split + ".recall", c.recall());
        into.put(split + ".f1", c.f1());
        into.put(split + ".images", (double) c.images);
        byType(split).forEach((type, t) -> {
            into.put(split + ".precision." + type, t.precision());
            into.put(split + ".recall." + type, t.recall());
            into.put(split + ".f1." + type, t.f1());
        });
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
