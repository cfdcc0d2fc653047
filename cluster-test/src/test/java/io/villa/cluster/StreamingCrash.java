package io.villa.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.villa.kafka.KafkaSettings;
import io.villa.kafka.TopicNames;

/**
 * The course of a crash scenario on a running (unbounded) job: stream pairs; once the committed output shows the job
 * past warm-up and checkpointing, inject the fault and bring back what it killed while pairs keep coming; stream on a
 * while after the output resumed; stop; wait until every pair sent has committed output, or the output stays quiet.
 */
final class StreamingCrash {

    private static final Logger LOG = LoggerFactory.getLogger(StreamingCrash.class);

    /** Slow enough that the backlog of an outage drains in seconds once the job is back (learning runs at 25+ pairs/s). */
    static final double PAIRS_PER_SECOND = 12;
    /** Committed decomposed pairs before the fault: well past warm-up (24 TRAIN pairs) and several checkpoints. */
    static final int PAIRS_BEFORE_FAULT = 60;
    /** Streaming goes on this long after output resumed, so pairs also arrive once the job is back. */
    static final Duration STREAM_AFTER_RESUME = Duration.ofSeconds(5);
    /** After the last pair: time for the job to decompose the backlog, and how long the output may stay quiet. */
    static final Duration DRAIN = Duration.ofSeconds(120);
    static final Duration QUIET = Duration.ofSeconds(30);

    interface Step {
        void run() throws Exception;
    }

    /**
     * @param sent     ids of the pairs the broker acknowledged
     * @param resumed  nanoseconds from the fault to the next growth of committed output
     */
    record Outcome(Set<String> sent, List<String> sendFailures, OptionalLong resumed) {
    }

    private StreamingCrash() {
    }

    /**
     * @param jobAlive fails (with the job's state) when the job is gone; called while waiting for output
     * @param fault    the crash itself
     * @param recovery what an operator or supervisor does next (start the process again); returns at once
     */
    static Outcome run(KafkaSettings kafka, TopicNames topics, long seed, Runnable jobAlive, Step fault, Step recovery)
            throws Exception {
        try (CommittedOutputWatcher output = CommittedOutputWatcher.start(kafka, topics.regionAttributePairs());
             PairStream pairs = PairStream.start(kafka, topics.imageReportPairs(), seed, PAIRS_PER_SECOND)) {
            assertThat(CommittedOutputWatcher.await(() -> {
                jobAlive.run();
                return output.pairsDecomposed() >= PAIRS_BEFORE_FAULT;
            }, Duration.ofMinutes(3))).as("%d pairs decomposed before the fault (so far %d of %d sent)", PAIRS_BEFORE_FAULT,
                    output.pairsDecomposed(), pairs.attempted()).isTrue();
            LOG.info("fault after {} pairs sent, {} decomposed", pairs.attempted(), output.pairsDecomposed());
            long faultAt = System.nanoTime();
            fault.run();
            LOG.info("fault injected in {} ms", (System.nanoTime() - faultAt) / 1_000_000);
            recovery.run();
            CommittedOutputWatcher.await(() -> output.resumedAfter(faultAt).isPresent(), DRAIN);
            LOG.info("committed output resumed {} ms after the fault", output.resumedAfter(faultAt).orElse(-1_000_000) / 1_000_000);
            Thread.sleep(STREAM_AFTER_RESUME.toMillis());
            pairs.stop();
            Set<String> sent = pairs.sent();
            LOG.info("streaming stopped: {} pairs sent ({} acknowledged); waiting for their output", pairs.attempted(), sent.size());
            CommittedOutputWatcher.await(() -> output.hasDecomposed(sent) || output.quietFor() > QUIET.toNanos(), DRAIN);
            return new Outcome(sent, pairs.failures(), output.resumedAfter(faultAt));
        }
    }
}
