package io.villa.trainer.service;

import java.util.Objects;

import io.villa.trainer.config.LostOffsetPolicy;
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
 */
public record ServiceSettings(String topic, String modelId, int checkpointEvery, int keepLast, int evalEvery, long maxSteps,
                              long idleStopMillis, int maxHeldOut, int cpuThreads, boolean progress, RecordLimits limits,
                              LostOffsetPolicy onLostOffsets, long partitionRefreshMillis) {

    public static final long DEFAULT_PARTITION_REFRESH_MILLIS = 10_000;

    public ServiceSettings {
        if (checkpointEvery < 1 || keepLast < 1 || evalEvery < 0 || maxSteps < 0 || idleStopMillis < 0 || maxHeldOut < 0) {
            throw new IllegalArgumentException("checkpointEvery and keepLast >= 1; evalEvery, maxSteps, idleStopMillis, maxHeldOut >= 0");
        }
        if (partitionRefreshMillis < 100) {
            throw new IllegalArgumentException("partitionRefreshMillis must be >= 100");
        }
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(onLostOffsets, "onLostOffsets");
    }

    /** The settings before record limits existed; those take their defaults. */
    public ServiceSettings(String topic, String modelId, int checkpointEvery, int keepLast, int evalEvery, long maxSteps,
                           long idleStopMillis, int maxHeldOut, int cpuThreads, boolean progress) {
        this(topic, modelId, checkpointEvery, keepLast, evalEvery, maxSteps, idleStopMillis, maxHeldOut, cpuThreads, progress,
                RecordLimits.defaults(), LostOffsetPolicy.FAIL, DEFAULT_PARTITION_REFRESH_MILLIS);
    }

    public static ServiceSettings defaults(String topic) {
        return new ServiceSettings(topic, "villa-vlm", 200, 3, 500, 0, 0, 20_000, 0, true);
    }

    public ServiceSettings withLimits(long steps, long idleMillis) {
        return new ServiceSettings(topic, modelId, checkpointEvery, keepLast, evalEvery, steps, idleMillis, maxHeldOut, cpuThreads,
                progress, limits, onLostOffsets, partitionRefreshMillis);
    }

    public ServiceSettings withCheckpointing(int every, int keep) {
        return new ServiceSettings(topic, modelId, every, keep, evalEvery, maxSteps, idleStopMillis, maxHeldOut, cpuThreads,
                progress, limits, onLostOffsets, partitionRefreshMillis);
    }

    public ServiceSettings withEvalEvery(int every) {
        return new ServiceSettings(topic, modelId, checkpointEvery, keepLast, every, maxSteps, idleStopMillis, maxHeldOut, cpuThreads,
                progress, limits, onLostOffsets, partitionRefreshMillis);
    }

    public ServiceSettings withProgress(boolean on) {
        return new ServiceSettings(topic, modelId, checkpointEvery, keepLast, evalEvery, maxSteps, idleStopMillis, maxHeldOut,
                cpuThreads, on, limits, onLostOffsets, partitionRefreshMillis);
    }

    public ServiceSettings withModelId(String id) {
        return new ServiceSettings(topic, id, checkpointEvery, keepLast, evalEvery, maxSteps, idleStopMillis, maxHeldOut, cpuThreads,
                progress, limits, onLostOffsets, partitionRefreshMillis);
    }

    public ServiceSettings withCpuThreads(int threads) {
        return new ServiceSettings(topic, modelId, checkpointEvery, keepLast, evalEvery, maxSteps, idleStopMillis, maxHeldOut,
                threads, progress, limits, onLostOffsets, partitionRefreshMillis);
    }

    public ServiceSettings withRecordLimits(RecordLimits l) {
        return new ServiceSettings(topic, modelId, checkpointEvery, keepLast, evalEvery, maxSteps, idleStopMillis, maxHeldOut,
                cpuThreads, progress, l, onLostOffsets, partitionRefreshMillis);
    }

    public ServiceSettings withOnLostOffsets(LostOffsetPolicy policy) {
        return new ServiceSettings(topic, modelId, checkpointEvery, keepLast, evalEvery, maxSteps, idleStopMillis, maxHeldOut,
                cpuThreads, progress, limits, policy, partitionRefreshMillis);
    }

    public ServiceSettings withPartitionRefreshMillis(long millis) {
        return new ServiceSettings(topic, modelId, checkpointEvery, keepLast, evalEvery, maxSteps, idleStopMillis, maxHeldOut,
                cpuThreads, progress, limits, onLostOffsets, millis);
    }
}
