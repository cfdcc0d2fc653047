package io.villa.trainer.eval;

/** R-precision, precision@k and average precision of one ranking against a set of relevant items. */
public final class RankingMetrics {

    private RankingMetrics() {
    }

    /**
     * @param scores   one score per item; higher ranks first (ties broken by index, stable)
     * @param relevant whether each item is relevant
     * @return {R-precision, precision@k, average precision}; NaN when nothing is relevant
     */
    public static double[] of(float[] scores, boolean[] relevant, int k) {
        Integer[] order = new Integer[scores.length];
        int r = 0;
        for (int i = 0; i < scores.length; i++) {
            order[i] = i;
            if (relevant[i]) {
                r++;
            }
        }
        if (r == 0) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN};
        }
        java.util.Arrays.sort(order, (a, b) -> Float.compare(scores[b], scores[a]));
        int hits = 0;
        int hitsAtR = 0;
        int hitsAtK = 0;
        double precisionSum = 0;
        for (int rank = 1; rank <= order.length; rank++) {
            if (relevant[order[rank - 1]]) {
                hits++;
                precisionSum += (double) hits / rank;
            }
            if (rank == r) {
                hitsAtR = hits;
            }
            if (rank == k) {
                hitsAtK = hits;
            }
        }
        if (k > order.length) {
            hitsAtK = hits;
        }
        return new double[] {(double) hitsAtR / r, (double) hitsAtK / Math.min(k, order.length), precisionSum / r};
    }
}
