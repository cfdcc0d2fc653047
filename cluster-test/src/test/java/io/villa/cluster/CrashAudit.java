package io.villa.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.assertj.core.api.SoftAssertions;

/**
 * The verdict on a scenario's output, from an independent read_committed read (RegionOutputs) against the ids of the
 * pairs the broker acknowledged: which were decomposed, lost, written twice, and what came out that should not have.
 *
 * @param decomposed pairs sent with at least one whole-image record
 * @param lost       pairs sent without a whole-image record
 * @param duplicated (pairId, regionIndex) keys written more than once (a pair decomposed twice shows here too)
 * @param unexpected records for pairs that were never sent, or keyed by another id than their pair's
 * @param deadLetters dead letters (the input holds valid pairs only)
 */
record CrashAudit(int sent, Set<String> decomposed, Set<String> lost, Set<String> duplicated, List<String> unexpected,
                  int deadLetters) {

    static CrashAudit of(Set<String> sent, RegionOutputs out) {
        Set<String> decomposed = new TreeSet<>(sent);
        decomposed.retainAll(out.wholeImages.keySet());
        Set<String> lost = new TreeSet<>(sent);
        lost.removeAll(decomposed);
        List<String> unexpected = new ArrayList<>(out.wrongKeys.stream().map(k -> k + " (not keyed by its pair id)").toList());
        out.records.values().stream().map(r -> r.getPairId()).filter(id -> !sent.contains(id)).distinct().sorted()
                .map(id -> id + " (a pair never sent)").forEach(unexpected::add);
        return new CrashAudit(sent.size(), decomposed, lost, new TreeSet<>(out.duplicates), unexpected, out.deadLetters.size());
    }

    /** Every valid pair decomposed exactly once, nothing lost, nothing else. */
    void assertExactlyOnce() {
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(sent).as("pairs sent").isPositive();
        softly.assertThat(lost).as("pairs lost (no whole-image record), %d of %d sent", lost.size(), sent).isEmpty();
        softly.assertThat(duplicated).as("(pairId#regionIndex) written more than once").isEmpty();
        softly.assertThat(unexpected).as("records that are not the decomposition of a pair sent").isEmpty();
        softly.assertThat(deadLetters).as("dead letters for valid pairs").isZero();
        softly.assertAll();
    }
}
