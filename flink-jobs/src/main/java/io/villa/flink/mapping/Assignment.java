package io.villa.flink.mapping;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The epsilon rule (docs/ARCHITECTURE.md): attribute a of an image goes to every region r with
 * s(r, a) > max_r s(r, a) - epsilon. Only attributes found in the report are assigned.
 *
 * @param byRegion per region, assigned attribute index -> its score s(r, a) (insertion order = ascending index)
 */
public record Assignment(List<Map<Integer, Float>> byRegion) {

    public static Assignment of(float[][] scores, int[] presentAttributes, int regions, float epsilon) {
        List<Map<Integer, Float>> out = new ArrayList<>(regions);
        for (int r = 0; r < regions; r++) {
            out.add(new LinkedHashMap<>());
        }
        for (int a : presentAttributes) {
            float[] s = scores[a];
            float best = Float.NEGATIVE_INFINITY;
            for (int r = 0; r < regions; r++) {
                best = Math.max(best, s[r]);
            }
            for (int r = 0; r < regions; r++) {
                if (s[r] > best - epsilon) {
                    out.get(r).put(a, s[r]);
                }
            }
        }
        return new Assignment(out);
    }

    /** Applies {@code model} to each example (forward passes of at most 128 images), one assignment per example. */
    public static List<Assignment> all(MappingModel model, List<MappingExample> examples, float epsilon) {
        List<Assignment> out = new ArrayList<>(examples.size());
        int chunk = 128;
        for (int from = 0; from < examples.size(); from += chunk) {
            List<MappingExample> part = examples.subList(from, Math.min(examples.size(), from + chunk));
            float[][][] scores = model.scores(part);
            for (int i = 0; i < part.size(); i++) {
                out.add(of(scores[i], part.get(i).attributes(), part.get(i).regionCount(), epsilon));
            }
        }
        return out;
    }

    public int regionCount() {
        return byRegion.size();
    }

    public Map<Integer, Float> region(int r) {
        return byRegion.get(r);
    }
}
