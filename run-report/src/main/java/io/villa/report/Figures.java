package io.villa.report;

import java.math.BigInteger;
import java.util.Locale;
import java.util.Set;

/**
 * The one way a figure of a {@link RunSummary} is written as text, on the page and in tests. Having a single
 * function is what lets a test check that every number on report.html is the number in summary.json.
 */
public final class Figures {

    /** Shown where a figure is not a finite number. */
    public static final String NOT_A_NUMBER = "n/a";

    /** Metric keys whose values are counts even when a map stores them as doubles (mapping quality "imagesScored"). */
    private static final Set<String> COUNT_KEYS =
            Set.of("images", "imagesScored", "regions", "relevant", "pairs", "records", "samples", "steps");

    private Figures() {}

    /**
     * @param key   the figure's name, the last part of its place in the summary ("f1", "t2r.rprecision", "pairsProduced")
     * @param value the figure
     * @return integers (and whole-number counts) as digits, every other number with 3 decimals, non-finite as {@value #NOT_A_NUMBER}
     */
    public static String format(String key, Number value) {
        if (value == null) {
            return NOT_A_NUMBER;
        }
        if (value instanceof Long
                || value instanceof Integer
                || value instanceof Short
                || value instanceof Byte
                || value instanceof BigInteger) {
            return value.toString();
        }
        double v = value.doubleValue();
        if (!Double.isFinite(v)) {
            return NOT_A_NUMBER;
        }
        if (key != null && COUNT_KEYS.contains(key) && v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
