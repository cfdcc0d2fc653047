package io.villa.flink.join;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import io.villa.flink.io.KeyedBytes;
import io.villa.kafka.DeadLetters;
import io.villa.records.DeadLetter;
import io.villa.schemas.Codecs;

/**
 * Dead letters of the join, PHI-safe by construction: the original value is never copied (it holds pixels or report
 * text; topic, partition and offset find it), and the original key only when it has the shape of a pseudonym.
 */
public final class FeedDeadLetters {

    /** A keyed pseudonym (io.villa.deid.Pseudonyms): 64 lower-case hex digits. */
    private static final Pattern PSEUDONYM = Pattern.compile("[0-9a-f]{64}");

    private FeedDeadLetters() {
    }

    public static KeyedBytes of(String stage, String topic, int partition, long offset, byte[] kafkaKey, JoinRejection reason) {
        byte[] key = pseudonymOrNull(kafkaKey);
        DeadLetter letter = DeadLetters.forRecord(stage, topic, partition, offset, key, null, reason);
        return new KeyedBytes(key, Codecs.DEAD_LETTER.encode(letter));
    }

    public static KeyedBytes of(String stage, FeedRecord held, JoinRejection reason) {
        byte[] key = held.studyKey == null ? null : held.studyKey.getBytes(StandardCharsets.UTF_8);
        return of(stage, held.topic, held.partition, held.offset, key, reason);
    }

    static byte[] pseudonymOrNull(byte[] key) {
        if (key == null || key.length != 64) {
            return null;
        }
        return PSEUDONYM.matcher(new String(key, StandardCharsets.US_ASCII)).matches() ? key : null;
    }
}
