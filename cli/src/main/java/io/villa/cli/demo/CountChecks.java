package io.villa.cli.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.villa.report.RunSummary;

/**
 * The checks that show a demo's counts are true, each with its two numbers so a reader can redo it: the topic
 * holds what the producer sent, every produced pair has exactly one outcome (decomposed or dead-lettered), the
 * count read every committed record, and each trainer evaluated every held-out region that was decomposed.
 */
final class CountChecks {

    static final String PAIRS_BALANCE = "pairs produced = decomposed + dead-lettered";
    private static final List<String> HELD_OUT = List.of("VAL", "TEST");

    private CountChecks() {}

    /**
     * @param producerSent pairs the producer says it sent (acknowledged by the broker), or -1 when it did not report
     * @param evaluated    model id -> split (VAL, TEST) -> regions the trainer says it evaluated
     * @param maxHeldOut   the trainers' cap on held-out regions per split
     */
    static List<RunSummary.CountCheck> of(
            PipelineCounts counts, long producerSent, Map<String, Map<String, Long>> evaluated, long maxHeldOut) {
        PipelineCounts.Pairs p = counts.pairs();
        List<RunSummary.CountCheck> checks = new ArrayList<>();
        if (producerSent >= 0) {
            checks.add(equal("pairs on the topic = pairs the producer sent", producerSent, p.produced()));
        }
        // equal totals are not enough: one pair lost and another counted twice would cancel out, hence the two below
        checks.add(new RunSummary.CountCheck(
                PAIRS_BALANCE, p.produced(), p.decomposed() + p.deadLettered(), p.balanced()));
        checks.add(equal("produced pairs with no outcome", 0, p.unaccounted()));
        checks.add(equal("outcomes beyond one per produced pair", 0, p.countedTwice()));
        checks.add(equal("committed offsets the count did not read", 0, counts.unreadOffsets()));
        evaluated.forEach((model, bySplit) -> {
            for (String split : HELD_OUT) {
                long decomposed = counts.split(split).evaluableRegions();
                checks.add(equal(
                        model + " evaluated every " + split + " region with ground truth"
                                + (decomposed > maxHeldOut ? " (its cap: " + maxHeldOut + ")" : ""),
                        Math.min(decomposed, maxHeldOut),
                        bySplit.getOrDefault(split, 0L)));
            }
        });
        return checks;
    }

    static boolean allHold(List<RunSummary.CountCheck> checks) {
        return !checks.isEmpty() && checks.stream().allMatch(RunSummary.CountCheck::holds);
    }

    private static RunSummary.CountCheck equal(String check, long expected, long actual) {
        return new RunSummary.CountCheck(check, expected, actual, expected == actual);
    }
}
