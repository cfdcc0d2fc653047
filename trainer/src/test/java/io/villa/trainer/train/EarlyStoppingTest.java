package io.villa.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EarlyStoppingTest {

    @Test
    void stopsAfterPatiencePassesWithoutANewBestAndKeepsTheBest() {
        EarlyStopping e = new EarlyStopping(2);
        assertThat(e.record(1, 0.30)).isTrue();
        assertThat(e.record(2, 0.40)).isTrue();
        assertThat(e.record(3, 0.40)).isFalse(); // equal is no improvement
        assertThat(e.shouldStop()).isFalse();
        assertThat(e.record(4, 0.35)).isFalse();
        assertThat(e.shouldStop()).isTrue();
        assertThat(e.bestPass()).isEqualTo(2);
        assertThat(e.best()).isEqualTo(0.40);
    }

    @Test
    void aNewBestResetsThePatience() {
        EarlyStopping e = new EarlyStopping(2);
        e.record(1, 0.5);
        e.record(2, 0.4);
        assertThat(e.record(3, 0.6)).isTrue();
        e.record(4, 0.1);
        assertThat(e.shouldStop()).isFalse();
        assertThat(e.bestPass()).isEqualTo(3);
    }

    @Test
    void passesWithoutAMeasurementNeitherImproveNorCount() {
        EarlyStopping e = new EarlyStopping(1);
        assertThat(e.record(1, Double.NaN)).isFalse();
        assertThat(e.record(2, Double.NaN)).isFalse();
        assertThat(e.shouldStop()).isFalse();
        assertThat(e.bestPass()).isZero();
    }

    @Test
    void resumesFromACheckpointedState() {
        EarlyStopping e = new EarlyStopping(3).restore(new EarlyStopping.State(4, 0.7, 2));
        assertThat(e.record(7, 0.6)).isFalse();
        assertThat(e.shouldStop()).isTrue();
        assertThat(e.bestPass()).isEqualTo(4);
    }
}
