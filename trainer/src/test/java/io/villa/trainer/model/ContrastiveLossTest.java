package io.villa.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import io.villa.djl.EngineSetup;

class ContrastiveLossTest {

    @BeforeAll
    static void engine() {
        EngineSetup.start(2);
    }

    /** Rows 0 and 1 carry the same text; row 2 a different one. Embeddings are unit vectors. */
    private static float loss(long[] textIds) {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray images = m.create(new float[][] {{1, 0}, {1, 0}, {0, 1}});
            NDArray texts = m.create(new float[][] {{1, 0}, {1, 0}, {0, 1}});
            NDArray scale = m.create(new float[] {10f});
            return new ContrastiveLoss().evaluate(new NDList(m.create(textIds)), new NDList(images, texts, scale)).getFloat();
        }
    }

    @Test
    void sameTextIsNotANegative() {
        // masked: row 0 sees logits {10, -inf, 0}: loss = log(1 + e^-10)
        float masked = loss(new long[] {0, 0, 1});
        double expectedMasked = (2 * Math.log(1 + Math.exp(-10)) + Math.log(1 + 2 * Math.exp(-10))) / 3;
        assertThat((double) masked).isCloseTo(expectedMasked, within(1e-4));
        // unmasked: the identical text counts as a negative, rows 0 and 1 can do no better than log 2
        float unmasked = loss(new long[] {0, 1, 2});
        assertThat(unmasked).isGreaterThan(0.4f);
        assertThat(masked).isLessThan(1e-3f);
    }

    @Test
    void symmetricAndZeroOnlyWhenAligned() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray a = m.create(new float[][] {{1, 0}, {0, 1}});
            NDArray b = m.create(new float[][] {{0, 1}, {1, 0}});
            NDArray scale = m.create(new float[] {10f});
            NDList labels = new NDList(m.create(new long[] {0, 1}));
            float aligned = new ContrastiveLoss().evaluate(labels, new NDList(a, a, scale)).getFloat();
            float crossed = new ContrastiveLoss().evaluate(labels, new NDList(a, b, scale)).getFloat();
            float swapped = new ContrastiveLoss().evaluate(labels, new NDList(b, a, scale)).getFloat();
            assertThat(aligned).isLessThan(1e-3f);
            assertThat(crossed).isGreaterThan(9f);
            assertThat(swapped).isCloseTo(crossed, within(1e-4f));
        }
    }
}
