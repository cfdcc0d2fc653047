package io.villa.trainer.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import io.villa.trainer.data.Example;
import io.villa.trainer.model.ContrastiveModel;

/**
 * The paper's two retrieval tasks on held-out regions, scored against their ground truth:
 * <ul>
 *   <li>text -> region: each attribute's query ranks all regions; relevant = regions whose ground truth
 *       has the attribute;</li>
 *   <li>region -> text: each region ranks the attribute queries; relevant = its true attributes. A
 *       region's scores count towards every attribute it has, so this direction is macro over
 *       attributes too.</li>
 * </ul>
 * Whole-image records and regions without ground truth are skipped. Regions are embedded as in training whatever the
 * mode: pooled from their whole image's feature map over their box.
 */
public final class RetrievalEvaluator {

    private static final int T2R_K = 10;
    private static final int R2T_K = 1;

    private RetrievalEvaluator() {
    }

    public static RetrievalReport evaluate(ContrastiveModel model, List<Example> heldOut) {
        List<Example> regions = heldOut.stream().filter(e -> !e.wholeImage() && !e.groundTruth().isEmpty()).toList();
        TreeSet<String> attributes = new TreeSet<>();
        regions.forEach(r -> attributes.addAll(r.groundTruth()));
        Map<String, List<String>> queries = AttributeQueries.fromTexts(attributes,
                heldOut.stream().map(Example::text).toList());
        return evaluate(model, regions, queries);
    }

    public static RetrievalReport evaluate(ContrastiveModel model, List<Example> regions, Map<String, List<String>> queries) {
        List<String> attributes = new ArrayList<>(queries.keySet());
        int n = regions.size();
        if (n == 0 || attributes.isEmpty()) {
            return new RetrievalReport(0, Map.of(), Map.of());
        }
        float[][] regionEmb = model.embedRegions(regions.stream().map(Example::region).toList());
        float[][] queryEmb = queryEmbeddings(model, attributes, queries);

        float[][] scores = new float[n][attributes.size()];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < attributes.size(); a++) {
                scores[i][a] = dot(regionEmb[i], queryEmb[a]);
            }
        }
        boolean[][] truth = new boolean[n][attributes.size()];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < attributes.size(); a++) {
                truth[i][a] = regions.get(i).groundTruth().contains(attributes.get(a));
            }
        }

        // region -> text, per region
        double[][] perRegion = new double[n][];
        double[] chancePerRegion = new double[n];
        for (int i = 0; i < n; i++) {
            perRegion[i] = RankingMetrics.of(scores[i], truth[i], R2T_K);
            int relevant = 0;
            for (boolean t : truth[i]) {
                relevant += t ? 1 : 0;
            }
            chancePerRegion[i] = (double) relevant / attributes.size();
        }

        Map<String, Map<String, Double>> table = new TreeMap<>();
        double[] sums = new double[8];
        int counted = 0;
        for (int a = 0; a < attributes.size(); a++) {
            float[] column = new float[n];
            boolean[] relevant = new boolean[n];
            int r = 0;
            for (int i = 0; i < n; i++) {
                column[i] = scores[i][a];
                relevant[i] = truth[i][a];
                r += relevant[i] ? 1 : 0;
            }
            if (r == 0) {
                continue;
            }
            double[] t2r = RankingMetrics.of(column, relevant, T2R_K);
            double[] r2t = new double[3];
            double r2tChance = 0;
            for (int i = 0; i < n; i++) {
                if (relevant[i]) {
                    for (int m = 0; m < 3; m++) {
                        r2t[m] += perRegion[i][m] / r;
                    }
                    r2tChance += chancePerRegion[i] / r;
                }
            }
            Map<String, Double> row = new LinkedHashMap<>();
            row.put(RetrievalReport.T2R_RPREC, t2r[0]);
            row.put(RetrievalReport.T2R_PK, t2r[1]);
            row.put(RetrievalReport.T2R_MAP, t2r[2]);
            row.put(RetrievalReport.R2T_RPREC, r2t[0]);
            row.put(RetrievalReport.R2T_PK, r2t[1]);
            row.put(RetrievalReport.R2T_MAP, r2t[2]);
            row.put(RetrievalReport.T2R_CHANCE, (double) r / n);
            row.put(RetrievalReport.R2T_CHANCE, r2tChance);
            row.put("relevant", (double) r);
            table.put(attributes.get(a), row);
            double[] v = {t2r[0], t2r[1], t2r[2], r2t[0], r2t[1], r2t[2], (double) r / n, r2tChance};
            for (int m = 0; m < v.length; m++) {
                sums[m] += v[m];
            }
            counted++;
        }
        Map<String, Double> summary = new LinkedHashMap<>();
        for (int m = 0; m < RetrievalReport.SUMMARY_KEYS.length; m++) {
            summary.put(RetrievalReport.SUMMARY_KEYS[m], counted == 0 ? Double.NaN : sums[m] / counted);
        }
        return new RetrievalReport(n, summary, table);
    }

    /** Each attribute's query: the mean of its templates' embeddings, re-normalised. */
    static float[][] queryEmbeddings(ContrastiveModel model, List<String> attributes, Map<String, List<String>> queries) {
        List<String> all = new ArrayList<>();
        for (String a : attributes) {
            all.addAll(queries.get(a));
        }
        float[][] sentenceEmb = model.embedTexts(all);
        float[][] out = new float[attributes.size()][];
        int next = 0;
        for (int a = 0; a < attributes.size(); a++) {
            int count = queries.get(attributes.get(a)).size();
            float[] mean = new float[sentenceEmb[0].length];
            for (int s = 0; s < count; s++) {
                float[] e = sentenceEmb[next++];
                for (int d = 0; d < mean.length; d++) {
                    mean[d] += e[d] / count;
                }
            }
            float norm = (float) Math.sqrt(dot(mean, mean)) + 1e-12f;
            for (int d = 0; d < mean.length; d++) {
                mean[d] /= norm;
            }
            out[a] = mean;
        }
        return out;
    }

    static float dot(float[] a, float[] b) {
        float s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
