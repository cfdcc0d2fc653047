package io.villa.flink.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** The mapping model's batch loss (docs/ARCHITECTURE.md), computed by hand in double precision on a tiny batch. */
class MappingLossTest {

    /** -log(exp(S_ia) / (exp(S_ia) + sum_{j without a} exp(S_ja))), averaged over the (i, a) with a in i. */
    static double byHand(double[][] s, double[][] present) {
        double sum = 0;
        int terms = 0;
        for (int a = 0; a < s.length; a++) {
            for (int i = 0; i < s[a].length; i++) {
                if (present[a][i] == 1) {
                    double negatives = 0;
                    for (int j = 0; j < s[a].length; j++) {
                        negatives += present[a][j] == 0 ? Math.exp(s[a][j]) : 0;
                    }
                    sum += -Math.log(Math.exp(s[a][i]) / (Math.exp(s[a][i]) + negatives));
                    terms++;
                }
            }
        }
        return sum / terms;
    }

    @Test
    void matchesTheFormulaOnATinyBatch() {
        // 3 attributes x 4 images of S(i,a) = max_r s(r,a) / T; attribute 2 is in every image (no negatives: terms are 0)
        double[][] s = {{1.0, 2.0, 0.5, 3.0}, {1.0, 4.0, -6.0, 2.0}, {0.3, -0.3, 1.2, 0.0}};
        double[][] present = {{1, 0, 1, 0}, {0, 1, 0, 1}, {1, 1, 1, 1}};
        double expected = byHand(s, present);
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            float[] flatS = new float[12];
            float[] flatP = new float[12];
            for (int a = 0; a < 3; a++) {
                for (int i = 0; i < 4; i++) {
                    flatS[a * 4 + i] = (float) s[a][i];
                    flatP[a * 4 + i] = (float) present[a][i];
                }
            }
            float loss = new MappingLoss().evaluate(new NDList(m.create(flatP, new Shape(3, 4))),
                    new NDList(m.zeros(new Shape(3, 4, 1)), m.create(flatS, new Shape(3, 4)))).getFloat();
            assertThat((double) loss).isCloseTo(expected, within(1e-5));
            assertThat(expected).isGreaterThan(0.5);     // the batch is not trivially solved: the check has teeth
        }
    }
}
