package io.villa.cli.demo;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.villa.trainer.device.MemoryUse;

/**
 * The state of a running pipeline as Kafka shows it, at one moment. Counts come from the records committed
 * to the topics ({@link PipelineCounts}); consumer-group offsets, which are committed late or not at all,
 * only give the lags, and are named so. A lag is -1 where not known (no group offsets yet).
 *
 * @param counts             what the producers, the job and the trainers committed to the topics
 * @param decomposeOffsetLag pairs-topic offsets the job's consumer group has not committed: a lag, not a count
 * @param mapping            the mapping model's latest quality event: metric name -> value, plus modelVersion,
 *                           trainPairsSeen and loss; empty before the first event
 * @param trainers           one line per trainer (model id), in the order asked for
 */
public record PipelineStatus(
        Instant at,
        PipelineCounts counts,
        long decomposeOffsetLag,
        Map<String, Double> mapping,
        List<TrainerStatus> trainers) {

    /**
     * One trainer as its events (and its consumer group's lag) show it.
     *
     * @param step             latest step announced (-1 before the first event)
     * @param samplesSeen      training examples seen at that step
     * @param loss             smoothed training loss, NaN when not known
     * @param validation       latest validation metrics (t2r.rprecision, r2t.rprecision, ...), empty before the first
     * @param evaluatedRegions split (VAL, TEST) -> regions its latest evaluation of that split ranked
     * @param finished         a FINISHED event was seen
     * @param offsetLag        region-attribute offsets its consumer group has not committed, or -1
     * @param device           the device it computes on (cpu(), gpu(0)), null where its events do not say
     * @param memory           that device's memory as its latest event reported it
     */
    public record TrainerStatus(
            String modelId,
            long step,
            long samplesSeen,
            double loss,
            Map<String, Double> validation,
            Map<String, Long> evaluatedRegions,
            boolean finished,
            long offsetLag,
            String device,
            MemoryUse memory) {}
}
