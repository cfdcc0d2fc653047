package io.villa.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.villa.records.DeadLetter;
import io.villa.schemas.Codecs;
import io.villa.schemas.RecordDecodingException;

class DeadLettersTest {

    @Test
    void aRecordThatFailedKeepsItsOriginAndBytes() {
        byte[] value = {1, 2, 3};
        RecordDecodingException error = assertThrowsDecoding(value);

        DeadLetter letter = DeadLetters.forRecord("decompose", "villa.image-report-pairs", 2, 41L,
                "pair-7".getBytes(StandardCharsets.UTF_8), value, error);

        assertThat(letter.getStage()).isEqualTo("decompose");
        assertThat(letter.getSourceTopic()).isEqualTo("villa.image-report-pairs");
        assertThat(letter.getSourcePartition()).isEqualTo(2);
        assertThat(letter.getSourceOffset()).isEqualTo(41L);
        assertThat(letter.getErrorClass()).isEqualTo(RecordDecodingException.class.getName());
        assertThat(letter.getErrorMessage()).isEqualTo(error.getMessage());
        assertThat(letter.getOriginalValue().array()).containsExactly(1, 2, 3);
        // and it survives the trip through our codec
        assertThat(Codecs.DEAD_LETTER.decode(Codecs.DEAD_LETTER.encode(letter))).isEqualTo(letter);
    }

    @Test
    void anInputThatNeverBecameARecordIsDescribed() {
        DeadLetter letter = DeadLetters.forInput("ingest", "/data/x-ray-17.png", null, new IllegalArgumentException());

        assertThat(letter.getInput()).isEqualTo("/data/x-ray-17.png");
        assertThat(letter.getSourceTopic()).isNull();
        assertThat(letter.getErrorMessage()).isEqualTo("IllegalArgumentException");
    }

    private static RecordDecodingException assertThrowsDecoding(byte[] bytes) {
        try {
            Codecs.IMAGE_REPORT_PAIR.decode(bytes);
        } catch (RecordDecodingException e) {
            return e;
        }
        throw new AssertionError("decoding junk must fail");
    }

    @Test
    void aLetterTooBigForItsSinkDropsTheOriginalValueButKeepsWhereItCameFrom() {
        byte[] value = new byte[200_000];
        DeadLetter letter = DeadLetters.forRecord("decompose.validate", "pairs", 1, 9L,
                "pair-9".getBytes(StandardCharsets.UTF_8), value, new IllegalArgumentException("too big"));

        DeadLetter fitted = DeadLetters.fitTo(letter, 10_000);

        assertThat(Codecs.DEAD_LETTER.encode(fitted).length).isLessThanOrEqualTo(10_000);
        assertThat(fitted.getOriginalValue()).isNull();
        assertThat(fitted.getOriginalKey().array()).isEqualTo("pair-9".getBytes(StandardCharsets.UTF_8));
        assertThat(fitted.getSourceOffset()).isEqualTo(9L);
        assertThat(fitted.getErrorMessage()).startsWith("too big").contains("200000 bytes not copied");
        assertThat(DeadLetters.fitTo(fitted, 10_000)).as("a letter that fits stays as it is").isSameAs(fitted);
    }

    @Test
    void aHugeErrorMessageIsCut() {
        DeadLetter letter = DeadLetters.forInput("ingest", "x", null, new IllegalArgumentException("x".repeat(50_000)));

        assertThat(letter.getErrorMessage()).hasSizeLessThan(DeadLetters.MAX_MESSAGE_CHARS + 40).endsWith("(50000 characters)");
    }
}
