package io.villa.flink.operators;

import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.slf4j.Logger;

import io.villa.flink.io.DeadLetterOutput;
import io.villa.flink.io.KeyedBytes;

/**
 * How the mapping operators (learner and appliers) turn away a prepared pair they cannot decompose: one log line that
 * names the pair by id and coordinates only (never report text), and the dead letter of the record as it arrived.
 */
final class PairDeadLetters {

    private PairDeadLetters() {}

    /**
     * @param log      the operator's own logger, so the line says which operator refused the pair
     * @param maxBytes the dead-letter sink's record limit
     * @return the dead letter, ready for {@link DeadLetterOutput#TAG}
     */
    static StreamRecord<KeyedBytes> of(Logger log, String stage, PreparedPair pair, Exception e, int maxBytes) {
        log.warn(
                "dead letter at {}: pair {} ({}-{}@{}): {}",
                stage,
                pair.pairId,
                pair.topic,
                pair.partition,
                pair.offset,
                e.getClass().getSimpleName());
        return new StreamRecord<>(DeadLetterOutput.of(
                stage, pair.topic, pair.partition, pair.offset, pair.rawKey, pair.rawValue, e, maxBytes));
    }
}
