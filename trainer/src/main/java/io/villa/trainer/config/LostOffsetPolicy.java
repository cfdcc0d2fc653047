package io.villa.trainer.config;

/**
 * What the trainer does when the offset it should read from next is no longer in the topic (retention deleted
 * the records in between): never a silent reset, since those records were never trained on.
 */
public enum LostOffsetPolicy {
    /** End with an error naming the partition, the offset wanted and the earliest available one. */
    FAIL,
    /** Go on from the earliest available offset, publishing the number of records lost (METRICS event, WARN log). */
    SKIP
}
