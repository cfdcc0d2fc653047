package io.villa.schemas;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

class BadBytesTest {

    private final byte[] goodPair = Codecs.IMAGE_REPORT_PAIR.encode(SampleRecords.imageReportPair());

    @Test
    void nullIsRejected() {
        assertThatThrownBy(() -> Codecs.IMAGE_REPORT_PAIR.decode(null))
                .isInstanceOf(RecordDecodingException.class)
                .hasMessageContaining("null");
    }

    @Test
    void bytesShorterThanTheHeaderAreCalledTruncated() {
        assertThatThrownBy(() -> Codecs.IMAGE_REPORT_PAIR.decode(Arrays.copyOf(goodPair, 6)))
                .isInstanceOf(RecordDecodingException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void aRecordCutShortInItsBodyIsCalledCorrupt() {
        byte[] cut = Arrays.copyOf(goodPair, goodPair.length / 2);

        assertThatThrownBy(() -> Codecs.IMAGE_REPORT_PAIR.decode(cut))
                .isInstanceOf(RecordDecodingException.class)
                .hasMessageContaining("corrupt or truncated ImageReportPair");
    }

    @Test
    void randomBytesAreNotSingleObjectEncoded() {
        byte[] random = new byte[200];
        new Random(42).nextBytes(random);
        random[0] = 0x12;

        assertThatThrownBy(() -> Codecs.IMAGE_REPORT_PAIR.decode(random))
                .isInstanceOf(RecordDecodingException.class)
                .hasMessageContaining("not Avro single-object encoded");
    }

    @Test
    void anotherRecordTypeHasAnUnknownFingerprint() {
        byte[] deadLetter = Codecs.DEAD_LETTER.encode(SampleRecords.deadLetter());

        assertThatThrownBy(() -> Codecs.IMAGE_REPORT_PAIR.decode(deadLetter))
                .isInstanceOf(RecordDecodingException.class)
                .hasMessageContaining("unknown writer schema fingerprint")
                .hasMessageContaining(String.format("%016x", Codecs.DEAD_LETTER.fingerprint()));
    }

    @Test
    void aFlippedFingerprintByteIsAnUnknownSchema() {
        byte[] wrong = goodPair.clone();
        wrong[5] ^= 0x40;

        assertThatThrownBy(() -> Codecs.IMAGE_REPORT_PAIR.decode(wrong))
                .isInstanceOf(RecordDecodingException.class)
                .hasMessageContaining("unknown writer schema fingerprint");
    }
}
