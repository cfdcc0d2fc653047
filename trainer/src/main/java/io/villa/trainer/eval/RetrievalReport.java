package io.villa.trainer.eval;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Retrieval quality on held-out regions in both directions, macro over attributes, with the
 * per-attribute table and the expected value of a random ranking ("chance") for context.
 *
 * @param regions     number of held-out regions ranked
 * @param summary     metric name -> value (see {@link #SUMMARY_KEYS})
 * @param perAttribute attribute -> metric name -> value
 */
public record RetrievalReport(int regions, Map<String, Double> summary, Map<String, Map<String, Double>> perAttribute) {

    public static final String T2R_RPREC = "t2r.rprecision";
    public static final String T2R_PK = "t2r.precision@10";
    public static final String T2R_MAP = "t2r.map";
    public static final String R2T_RPREC = "r2t.rprecision";
    public static final String R2T_PK = "r2t.precision@1";
    public static final String R2T_MAP = "r2t.map";
    public static final String T2R_CHANCE = "t2r.rprecision.chance";
    public static final String R2T_CHANCE = "r2t.rprecision.chance";
    public static final String[] SUMMARY_KEYS = {T2R_RPREC, T2R_PK, T2R_MAP, R2T_RPREC, R2T_PK, R2T_MAP, T2R_CHANCE, R2T_CHANCE};

    public double get(String key) {
        return summary.getOrDefault(key, Double.NaN);
    }

    /** The summary with a prefix, as TrainerEvent metrics. */
    public Map<String, Double> metrics(String prefix) {
        Map<String, Double> out = new LinkedHashMap<>();
        summary.forEach((k, v) -> out.put(prefix + k, v));
        out.put(prefix + "regions", (double) regions);
        return out;
    }

    public String oneLine() {
        return String.format(Locale.ROOT, "t2r R-prec %.3f (chance %.3f), r2t R-prec %.3f (chance %.3f), t2r mAP %.3f, r2t mAP %.3f",
                get(T2R_RPREC), get(T2R_CHANCE), get(R2T_RPREC), get(R2T_CHANCE), get(T2R_MAP), get(R2T_MAP));
    }

    /** A plain-text table: one row per attribute, then the macro row. */
    public String table() {
        StringBuilder sb = new StringBuilder();
        String[] cols = {T2R_RPREC, T2R_PK, T2R_MAP, R2T_RPREC, R2T_PK, R2T_MAP};
        sb.append(String.format(Locale.ROOT, "%-10s %8s %10s %8s %8s %8s %8s %9s%n", "attribute",
                "t2r R-P", "t2r P@10", "t2r mAP", "r2t R-P", "r2t P@1", "r2t mAP", "relevant"));
        perAttribute.forEach((attribute, m) -> {
            sb.append(String.format(Locale.ROOT, "%-10s", attribute));
            for (String c : cols) {
                sb.append(String.format(Locale.ROOT, " %8.3f", m.getOrDefault(c, Double.NaN)));
            }
            sb.append(String.format(Locale.ROOT, " %9.0f%n", m.getOrDefault("relevant", 0.0)));
        });
        sb.append(String.format(Locale.ROOT, "%-10s", "MACRO"));
        for (String c : cols) {
            sb.append(String.format(Locale.ROOT, " %8.3f", get(c)));
        }
        sb.append(String.format(Locale.ROOT, " %9d regions%n", regions));
        sb.append(String.format(Locale.ROOT, "chance (random ranking): t2r R-P %.3f, r2t R-P %.3f%n", get(T2R_CHANCE), get(R2T_CHANCE)));
        return sb.toString();
    }
}
