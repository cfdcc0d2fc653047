package io.villa.trainer.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RankingMetricsTest {

    @Test
    void perfectRanking() {
        double[] m = RankingMetrics.of(new float[] {0.9f, 0.8f, 0.1f, 0.0f}, new boolean[] {true, true, false, false}, 1);
        assertThat(m).containsExactly(1.0, 1.0, 1.0);
    }

    @Test
    void mixedRanking() {
        // ranking: item1 (rel), item0 (no), item3 (rel), item2 (no); R = 2
        double[] m = RankingMetrics.of(new float[] {0.8f, 0.9f, 0.1f, 0.5f}, new boolean[] {false, true, false, true}, 3);
        assertThat(m[0]).isCloseTo(0.5, within(1e-9));          // one of the top 2
        assertThat(m[1]).isCloseTo(2.0 / 3, within(1e-9));      // two of the top 3
        assertThat(m[2]).isCloseTo((1.0 + 2.0 / 3) / 2, within(1e-9));
    }

    @Test
    void nothingRelevantIsNaN() {
        assertThat(RankingMetrics.of(new float[] {1f}, new boolean[] {false}, 1)[0]).isNaN();
    }
}
