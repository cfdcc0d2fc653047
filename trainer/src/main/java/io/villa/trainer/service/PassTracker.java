package io.villa.trainer.service;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.common.TopicPartition;

import io.villa.trainer.checkpoint.PassState;
import io.villa.trainer.config.PassPlan;
import io.villa.trainer.train.EarlyStopping;

/**
 * Where a trainer stands in its passes over a bounded topic ({@link PassPlan}): which pass, where every pass starts
 * and ends on each partition (the end is fixed when pass 1 ends), early stopping, and whether it is finished. With one
 * pass it stays in pass 1 for good: the streaming trainer.
 */
final class PassTracker {

    private final PassPlan plan;
    private final EarlyStopping early;
    private int pass;
    private final Map<TopicPartition, Long> start;
    private Map<TopicPartition, Long> end;
    private boolean finished;

    private PassTracker(PassPlan plan, PassState state, Map<TopicPartition, Long> start, Map<TopicPartition, Long> end) {
        this.plan = plan;
        this.early = new EarlyStopping(plan.patience()).restore(state.early());
        this.pass = state.pass();
        this.start = start;
        this.end = end;
        this.finished = plan.replays() && state.finished();
    }

    /**
     * @param state     from the checkpoint resumed (or the initial one)
     * @param streamAt  where this run starts reading for training: pass 1's start unless the checkpoint has one
     */
    static PassTracker resume(PassPlan plan, PassState state, Map<TopicPartition, Long> streamAt, List<TopicPartition> partitions) {
        Map<TopicPartition, Long> start = new HashMap<>(streamAt);
        Map<TopicPartition, Long> end = state.end().isEmpty() ? null : new HashMap<>();
        for (TopicPartition tp : partitions) {
            String key = KafkaRegionSource.key(tp);
            if (state.start().containsKey(key)) {
                start.put(tp, state.start().get(key));
            }
            if (end != null) {
                end.put(tp, state.end().getOrDefault(key, 0L));
            }
        }
        return new PassTracker(plan, state, start, end);
    }

    int pass() {
        return pass;
    }

    boolean replays() {
        return plan.replays();
    }

    /** Whether the current pass re-reads up to a fixed end (a pass after the first). */
    boolean bounded() {
        return end != null;
    }

    boolean finished() {
        return finished;
    }

    boolean stoppedEarly() {
        return finished && early.shouldStop() && pass < plan.passes();
    }

    /** Passes completed. */
    int passesDone() {
        return finished ? pass : pass - 1;
    }

    /** The pass whose model measured best (0: none measured). */
    int bestPass() {
        return early.bestPass();
    }

    Map<TopicPartition, Long> start() {
        return Map.copyOf(start);
    }

    /** Where every pass ends, or null during pass 1. */
    Map<TopicPartition, Long> end() {
        return end == null ? null : Map.copyOf(end);
    }

    /**
     * The current pass ended at {@code passEnd} and measured {@code metric}: moves on to the next pass, or finishes
     * (the last pass, or early stopping).
     *
     * @return whether the metric is a new best
     */
    boolean ended(Map<TopicPartition, Long> passEnd, double metric) {
        if (end == null) {
            end = new HashMap<>(passEnd);
        }
        boolean improved = early.record(pass, metric);
        if (pass >= plan.passes() || early.shouldStop()) {
            finished = true;
        } else {
            pass++;
        }
        return improved;
    }

    PassState state() {
        return new PassState(pass, keys(start), end == null ? Map.of() : keys(end), early.state(), finished);
    }

    private static Map<String, Long> keys(Map<TopicPartition, Long> offsets) {
        Map<String, Long> out = new TreeMap<>();
        offsets.forEach((tp, o) -> out.put(KafkaRegionSource.key(tp), o));
        return out;
    }
}
