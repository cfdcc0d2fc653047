package io.villa.cli.demo;

import java.util.Map;

/**
 * What the pipeline has committed to its topics, counted record by record with a read_committed consumer
 * (records of aborted or still open transactions do not count): the only counts that are true whatever the
 * consumer groups managed to commit.
 *
 * @param pairs              every produced pair and its outcome
 * @param splits             split (TRAIN, VAL, TEST, UNKNOWN) -> the same, plus its region records
 * @param deadLetters        records on the dead-letter topic, whatever stage wrote them
 * @param deadLettersByStage stage (decompose.validate, produce..., trainer.decode, ...) -> dead letters
 * @param regionRecords      region records (not whole images) on the region-attribute topic
 * @param undecodable        records the monitor could not read (not counted anywhere else)
 * @param unreadOffsets      committed offsets not read yet, summed over partitions (0: read to the end)
 */
public record PipelineCounts(Pairs pairs, Map<String, SplitCounts> splits, long deadLetters, Map<String, Long> deadLettersByStage,
                             long regionRecords, long undecodable, long unreadOffsets) {

    public static final PipelineCounts NONE = new PipelineCounts(Pairs.NONE, Map.of(), 0, Map.of(), 0, 0, -1);

    /** True when every committed record on the topics was read (unknown, -1, counts as not). */
    public boolean readToEnd() {
        return unreadOffsets == 0;
    }

    public SplitCounts split(String split) {
        return splits.getOrDefault(split, SplitCounts.NONE);
    }

    /**
     * @param produced     records on the image-report-pairs topic
     * @param decomposed   whole-image records written for them (one per decomposed pair)
     * @param deadLettered dead letters naming a record of the image-report-pairs topic as their source
     * @param unaccounted  produced pairs with no outcome (yet: while the job runs, those in flight)
     * @param countedTwice outcomes beyond the productions of their pair id (decomposed and dead-lettered, or twice)
     */
    public record Pairs(long produced, long decomposed, long deadLettered, long unaccounted, long countedTwice) {

        public static final Pairs NONE = new Pairs(0, 0, 0, 0, 0);

        /** Every pair has exactly one outcome: produced = decomposed + dead-lettered, pair by pair. */
        public boolean balanced() {
            return unaccounted == 0 && countedTwice == 0;
        }
    }

    /**
     * @param pairs            the split's pairs
     * @param regionRecords    its region records
     * @param evaluableRegions those with ground truth: what a trainer ranks when it evaluates the split
     */
    public record SplitCounts(Pairs pairs, long regionRecords, long evaluableRegions) {

        public static final SplitCounts NONE = new SplitCounts(Pairs.NONE, 0, 0);
    }
}
