package io.villa.trainer.service;

import static io.villa.trainer.config.ConfigChecks.checkArgument;

import java.util.Objects;

import io.villa.trainer.config.LostOffsetPolicy;
import io.villa.trainer.config.PassPlan;
import io.villa.trainer.config.RecordLimits;

/**
 * How the long-running trainer behaves around the model.
 *
 * @param topic            the region-attribute topic to learn from
 * @param modelId          names the model in trainer events
 * @param checkpointEvery  steps between checkpoints (and one on shutdown)
 * @param keepLast         checkpoints kept besides the best
 * @param evalEvery        steps between validation evaluations (0 = only at the end)
 * @param maxSteps         stop after this many steps in total (0 = no limit)
 * @param idleStopMillis   stop when no record arrived for this long (0 = run until stopped)
 * @param maxHeldOut       cap on validation (and, separately, test) regions kept for evaluation
 * @param cpuThreads       PyTorch intra-op threads (0 = one per core)
 * @param progress         draw a console progress bar (else a log line every 10 s)
 * @param limits           bounds a record must keep, checked before decoding (over one: dead letter)
 * @param onLostOffsets    when the next offset to read fell out of the topic's retention: fail or skip the gap
 * @param partitionRefreshMillis how often the topic's partition list is re-read, so added partitions are read too
 * @param passes           one pass: stream (stop when idle, if at all); more: pass 1 ends when the topic has been idle
 *                         for idleStopMillis, then the same records are replayed, with early stopping
 * @param maxPairWait      offsets of its partition a region record waits at most for its pair's whole-image record
 */
public record ServiceConfig(
        String topic,
        String modelId,
        int checkpointEvery,
        int keepLast,
        int evalEvery,
        long maxSteps,
        long idleStopMillis,
        int maxHeldOut,
        int cpuThreads,
        boolean progress,
        RecordLimits limits,
        LostOffsetPolicy onLostOffsets,
        long partitionRefreshMillis,
        PassPlan passes,
        long maxPairWait) {

    public static final long DEFAULT_PARTITION_REFRESH_MILLIS = 10_000;
    /** A DocMNIST pair has at most ten records; real reports a few dozen regions. */
    public static final long DEFAULT_MAX_PAIR_WAIT = 1_000;

    public ServiceConfig {
        checkArgument(topic != null, "topic must be set, got null");
        checkArgument(checkpointEvery >= 1, "checkpointEvery must be >= 1, got %s", checkpointEvery);
        checkArgument(keepLast >= 1, "keepLast must be >= 1, got %s", keepLast);
        checkArgument(evalEvery >= 0, "evalEvery must be >= 0, got %s", evalEvery);
        checkArgument(maxSteps >= 0, "maxSteps must be >= 0, got %s", maxSteps);
        checkArgument(idleStopMillis >= 0, "idleStopMillis must be >= 0, got %s", idleStopMillis);
        checkArgument(maxHeldOut >= 0, "maxHeldOut must be >= 0, got %s", maxHeldOut);
        checkArgument(
                partitionRefreshMillis >= 100, "partitionRefreshMillis must be >= 100, got %s", partitionRefreshMillis);
        checkArgument(maxPairWait >= 1, "maxPairWait must be >= 1, got %s", maxPairWait);
        checkArgument(limits != null, "limits must be set, got null");
        checkArgument(onLostOffsets != null, "onLostOffsets must be fail or skip, got null");
        checkArgument(passes != null, "passes must be set, got null");
    }

    /** The defaults for {@code topic}; see {@link Builder}. */
    public static ServiceConfig defaults(String topic) {
        return builder(topic).build();
    }

    public static Builder builder(String topic) {
        return new Builder(topic);
    }

    /** Required: the topic; everything else has a default ({@code opt*}). */
    public static final class Builder {
        private final String topic;
        private String modelId = "villa-vlm";
        private int checkpointEvery = 200;
        private int keepLast = 3;
        private int evalEvery = 500;
        private long maxSteps;
        private long idleStopMillis;
        private int maxHeldOut = 20_000;
        private int cpuThreads;
        private boolean progress = true;
        private RecordLimits limits = RecordLimits.defaults();
        private LostOffsetPolicy onLostOffsets = LostOffsetPolicy.FAIL;
        private long partitionRefreshMillis = DEFAULT_PARTITION_REFRESH_MILLIS;
        private PassPlan passes = PassPlan.once();
        private long maxPairWait = DEFAULT_MAX_PAIR_WAIT;

        private Builder(String topic) {
            this.topic = Objects.requireNonNull(topic, "topic");
        }

        public Builder optModelId(String id) {
            this.modelId = id;
            return this;
        }

        /** A checkpoint every {@code every} steps, the newest {@code keep} kept besides the best. */
        public Builder optCheckpointing(int every, int keep) {
            this.checkpointEvery = every;
            this.keepLast = keep;
            return this;
        }

        public Builder optEvalEvery(int every) {
            this.evalEvery = every;
            return this;
        }

        /** Stops after {@code steps} steps in all, or when no record came for {@code idleMillis} (0: never). */
        public Builder optStopAfter(long steps, long idleMillis) {
            this.maxSteps = steps;
            this.idleStopMillis = idleMillis;
            return this;
        }

        public Builder optMaxHeldOut(int max) {
            this.maxHeldOut = max;
            return this;
        }

        public Builder optCpuThreads(int threads) {
            this.cpuThreads = threads;
            return this;
        }

        public Builder optProgress(boolean on) {
            this.progress = on;
            return this;
        }

        public Builder optRecordLimits(RecordLimits recordLimits) {
            this.limits = recordLimits;
            return this;
        }

        public Builder optOnLostOffsets(LostOffsetPolicy policy) {
            this.onLostOffsets = policy;
            return this;
        }

        public Builder optPartitionRefreshMillis(long millis) {
            this.partitionRefreshMillis = millis;
            return this;
        }

        /** Passes over the topic with early stopping; more than one needs an idle stop, which ends pass 1. */
        public Builder optPasses(PassPlan plan) {
            this.passes = plan;
            return this;
        }

        public Builder optMaxPairWait(long records) {
            this.maxPairWait = records;
            return this;
        }

        public ServiceConfig build() {
            return new ServiceConfig(
                    topic,
                    modelId,
                    checkpointEvery,
                    keepLast,
                    evalEvery,
                    maxSteps,
                    idleStopMillis,
                    maxHeldOut,
                    cpuThreads,
                    progress,
                    limits,
                    onLostOffsets,
                    partitionRefreshMillis,
                    passes,
                    maxPairWait);
        }
    }
}
