package io.villa.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FiguresTest {

    @Test
    void threeDecimalsForMeasuresDigitsForCounts() {
        assertThat(Figures.format("t2r.rprecision", 0.61234)).isEqualTo("0.612");
        assertThat(Figures.format("f1", 1.0)).isEqualTo("1.000");
        assertThat(Figures.format("wallSeconds", 187.2456)).isEqualTo("187.246");
        assertThat(Figures.format("pairsProduced", 4321L)).isEqualTo("4321");
        assertThat(Figures.format("images", 2500.0)).as("a count stored as a double").isEqualTo("2500");
        assertThat(Figures.format("images", 2500.5)).isEqualTo("2500.500");
        assertThat(Figures.format("t2r.map", Double.NaN)).isEqualTo(Figures.NOT_A_NUMBER);
        assertThat(Figures.format("t2r.map", null)).isEqualTo(Figures.NOT_A_NUMBER);
    }

    @Test
    void theLocaleDoesNotChangeTheDecimalPoint() {
        java.util.Locale before = java.util.Locale.getDefault();
        try {
            java.util.Locale.setDefault(java.util.Locale.GERMANY);
            assertThat(Figures.format("f1", 0.5)).isEqualTo("0.500");
        } finally {
            java.util.Locale.setDefault(before);
        }
    }
}
