package io.villa.cli.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.villa.trainer.config.PassPlan;

/** The experiment plan: built with set* and opt* methods, read back from experiment.json's settings, checks naming the field. */
class ExperimentPlanTest {

    private static ExperimentPlan.Builder quick() {
        return ExperimentPlan.builder()
                .setComplexities(List.of(16, 4))
                .setSeeds(List.of(1L, 2L))
                .setBudgets(2000, 300, 400)
                .setPasses(new PassPlan(3, 2))
                .setTimeLimit(Duration.ofMinutes(5));
    }

    @Test
    void theDefaultsAndTheRoundTripThroughTheSettingsMap() {
        ExperimentPlan plan = quick().build();
        assertThat(plan)
                .isEqualTo(new ExperimentPlan(
                        List.of(4, 16),
                        List.of(1L, 2L),
                        2000,
                        300,
                        400,
                        16,
                        1,
                        new PassPlan(3, 2),
                        512,
                        Duration.ofMinutes(5)));
        ExperimentPlan other = quick().optTestSet(8, 9).optWarmupPairs(64).build();
        assertThat(ExperimentPlan.fromMap(other.asMap(), Duration.ofMinutes(5))).isEqualTo(other);
    }

    @Test
    void aBadValueIsRefusedNamingItsFieldAndValue() {
        assertThatThrownBy(() -> quick().setComplexities(List.of(2, 8)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("complexities must be within 4..36, got 2");
        assertThatThrownBy(() -> quick().setBudgets(2000, 0, 400).build()).hasMessage("valBudget must be > 0, got 0");
        assertThatThrownBy(() -> quick().optTestSet(40, 1).build())
                .hasMessage("testComplexity must be within 4..36, got 40");
        assertThatThrownBy(() -> quick().setSeeds(List.of(3L, 3L)).build())
                .hasMessage("seeds must not repeat one, got [3, 3]");
        assertThatThrownBy(() -> ExperimentPlan.builder().setSeeds(List.of(1L)).build())
                .hasMessage("complexities must be set");
    }
}
