package io.villa.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.villa.report.RunSummary;

class CountChecksTest {

    private static PipelineCounts counts(PipelineCounts.Pairs pairs, long valRegions, long testRegions, long unread) {
        Map<String, PipelineCounts.SplitCounts> splits = new LinkedHashMap<>();
        splits.put("VAL", new PipelineCounts.SplitCounts(PipelineCounts.Pairs.NONE, valRegions + 5, valRegions));
        splits.put("TEST", new PipelineCounts.SplitCounts(PipelineCounts.Pairs.NONE, testRegions, testRegions));
        return new PipelineCounts(pairs, splits, pairs.deadLettered(), Map.of(), 0, 0, unread);
    }

    @Test
    void aRunWhoseEveryPairHasOneOutcomeAndWhoseTrainersEvaluatedEverythingBalances() {
        List<RunSummary.CountCheck> checks = CountChecks.of(counts(new PipelineCounts.Pairs(100, 97, 3, 0, 0), 40, 30, 0),
                100, Map.of("villa-vlm", Map.of("VAL", 40L, "TEST", 30L)), 20_000);

        assertThat(CountChecks.allHold(checks)).isTrue();
        assertThat(checks.get(1)).isEqualTo(new RunSummary.CountCheck(CountChecks.PAIRS_BALANCE, 100, 100, true));
        assertThat(checks).hasSize(5 + 2);
    }

    @Test
    void aLostPairIsNotHiddenByAnotherCountedTwice() {
        List<RunSummary.CountCheck> checks = CountChecks.of(counts(new PipelineCounts.Pairs(100, 98, 2, 1, 1), 40, 30, 0),
                -1, Map.of(), 20_000);

        assertThat(checks.get(0).expected()).as("the totals agree").isEqualTo(checks.get(0).actual());
        assertThat(checks.get(0).holds()).isFalse();
        assertThat(checks).filteredOn(c -> !c.holds()).hasSize(3);
        assertThat(CountChecks.allHold(checks)).isFalse();
    }

    @Test
    void aTrainerThatEvaluatedLessThanWasDecomposedAnUnfinishedCountOrAPairLostBeforeTheTopicDoesNotBalance() {
        PipelineCounts.Pairs balanced = new PipelineCounts.Pairs(10, 10, 0, 0, 0);

        List<RunSummary.CountCheck> short1 = CountChecks.of(counts(balanced, 40, 30, 0), 10,
                Map.of("clip-vlm", Map.of("VAL", 40L, "TEST", 24L)), 20_000);
        List<RunSummary.CountCheck> unread = CountChecks.of(counts(balanced, 40, 30, -1), 10, Map.of(), 20_000);
        List<RunSummary.CountCheck> lostOnTheWay = CountChecks.of(counts(balanced, 40, 30, 0), 11, Map.of(), 20_000);
        List<RunSummary.CountCheck> capped = CountChecks.of(counts(balanced, 30_000, 30, 0), 10,
                Map.of("villa-vlm", Map.of("VAL", 20_000L, "TEST", 30L)), 20_000);

        assertThat(short1).filteredOn(c -> !c.holds()).singleElement()
                .isEqualTo(new RunSummary.CountCheck("clip-vlm evaluated every TEST region with ground truth", 30, 24, false));
        assertThat(CountChecks.allHold(unread)).isFalse();
        assertThat(CountChecks.allHold(lostOnTheWay)).as("the producer sent one more than the topic holds").isFalse();
        assertThat(CountChecks.allHold(capped)).as("the trainer keeps at most its cap").isTrue();
    }
}
