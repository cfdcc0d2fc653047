package io.villa.cli.demo;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The state of a running pipeline as Kafka shows it, at one moment. Counts are -1 where not known yet
 * (a topic or consumer group that does not exist yet).
 *
 * @param pairsProduced   records on the image-report-pairs topic
 * @param pairsDecomposed pairs the decomposition job has read and committed (its consumer group's offsets)
 * @param regionOffsets   end offsets of the region-attribute topic (records plus transaction markers)
 * @param deadLetters     records on the dead-letter topic
 * @param mapping         the mapping model's latest quality event: metric name -> value, plus modelVersion,
 *                        trainPairsSeen and loss; empty before the first event
 * @param trainers        one line per trainer (model id), in the order asked for
 */
public record PipelineStatus(Instant at, long pairsProduced, long pairsDecomposed, long regionOffsets, long deadLetters,
                             Map<String, Double> mapping, List<TrainerStatus> trainers) {

    /** Lag of the decomposition job behind the producers, or -1. */
    public long decomposeLag() {
        return pairsProduced < 0 || pairsDecomposed < 0 ? -1 : Math.max(0, pairsProduced - pairsDecomposed);
    }

    /**
     * One trainer as its events and consumer group show it.
     *
     * @param step        latest step announced (-1 before the first event)
     * @param samplesSeen training examples seen at that step
     * @param loss        smoothed training loss, NaN when not known
     * @param validation  latest validation metrics (t2r.rprecision, r2t.rprecision, ...), empty before the first
     * @param finished    a FINISHED event was seen
     * @param lag         region-attribute offsets not yet committed by its consumer group, or -1
     */
    public record TrainerStatus(String modelId, long step, long samplesSeen, double loss, Map<String, Double> validation,
                                boolean finished, long lag) {
    }
}
