package io.villa.trainer.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.common.TopicPartition;

/**
 * Records the trainer should have read but the topic no longer has: retention deleted offsets
 * {@code wanted .. earliest-1} of a partition. Counted in offsets, so transaction markers among them count too.
 */
record OffsetGap(TopicPartition partition, long wanted, long earliest) {

    long lost() {
        return earliest - wanted;
    }

    /** The partitions whose wanted offset lies before their earliest available one. */
    static List<OffsetGap> find(Map<TopicPartition, Long> wanted, Map<TopicPartition, Long> earliest) {
        List<OffsetGap> gaps = new ArrayList<>();
        wanted.forEach((tp, offset) -> {
            Long first = earliest.get(tp);
            if (first != null && first > offset) {
                gaps.add(new OffsetGap(tp, offset, first));
            }
        });
        gaps.sort((a, b) -> Integer.compare(a.partition().partition(), b.partition().partition()));
        return gaps;
    }

    static String describe(List<OffsetGap> gaps) {
        return gaps.stream().map(g -> "partition " + KafkaRegionSource.key(g.partition()) + ": checkpoint offset " + g.wanted()
                + ", earliest available offset " + g.earliest() + " (" + g.lost() + " records lost)")
                .collect(Collectors.joining("; "));
    }

    static long total(List<OffsetGap> gaps) {
        return gaps.stream().mapToLong(OffsetGap::lost).sum();
    }

    /** The records to train on next are gone and the policy is to fail. */
    static final class LostOffsetsException extends IllegalStateException {
        LostOffsetsException(String where, List<OffsetGap> gaps) {
            super("offsets to train from fell out of the topic's retention " + where + ": " + describe(gaps)
                    + ". Nothing was trained from them; to go on from the earliest available offsets, accept the gap with"
                    + " --on-lost-offsets skip");
        }
    }
}
