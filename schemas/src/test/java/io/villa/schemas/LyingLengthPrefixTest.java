package io.villa.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

/**
 * Records of a few bytes whose length prefixes claim gigabytes: each must be refused by Avro's limits as a
 * {@link RecordDecodingException}, before anything that size is allocated (an OutOfMemoryError would not be one).
 */
class LyingLengthPrefixTest {

    private static final long HUGE = 2_000_000_000L;

    @Test
    void aStringPrefixOfTwoBillionIsRefused() throws IOException {
        byte[] record = pair(e -> e.writeLong(HUGE)); // pairId's length

        assertThatThrownBy(() -> Codecs.IMAGE_REPORT_PAIR.decode(record))
                .isInstanceOf(RecordDecodingException.class)
                .hasMessageContaining("String length " + HUGE);
    }

    @Test
    void aBytesPrefixOfTwoBillionIsRefused() throws IOException {
        byte[] record = pair(e -> {
            e.writeString("p-1");
            e.writeString("feed");
            e.writeEnum(0);
            e.writeLong(HUGE); // image data's length
        });

        assertThatThrownBy(() -> Codecs.IMAGE_REPORT_PAIR.decode(record))
                .isInstanceOf(RecordDecodingException.class)
                .hasMessageContaining("Bytes length " + HUGE);
    }

    @Test
    void anArrayPrefixOfTwoBillionItemsIsRefused() throws IOException {
        byte[] record = pair(e -> {
            e.writeString("p-1");
            e.writeString("feed");
            e.writeEnum(0);
            e.writeBytes(new byte[] {1, 2, 3});
            e.writeEnum(0);
            e.writeInt(28);
            e.writeInt(28);
            e.writeString("the digit is a one");
            e.writeArrayStart();
            e.setItemCount(HUGE); // regions
            e.startItem();
        });

        assertThatThrownBy(() -> Codecs.IMAGE_REPORT_PAIR.decode(record))
                .isInstanceOf(RecordDecodingException.class)
                .hasMessageContaining("Collection length " + HUGE);
    }

    @Test
    void theCapsAreInForce() {
        AvroLimits.ensure();
        assertThat(Integer.getInteger("org.apache.avro.limits.collectionItems.maxLength")).isEqualTo(AvroLimits.DEFAULT_MAX_ITEMS);
        assertThat(Integer.getInteger("org.apache.avro.limits.string.maxLength")).isEqualTo(AvroLimits.DEFAULT_MAX_LENGTH);
    }

    interface Body {
        void write(BinaryEncoder encoder) throws IOException;
    }

    /** The single-object header of an ImageReportPair followed by a hand-written body. */
    private static byte[] pair(Body body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xC3);
        out.write(0x01);
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(Codecs.IMAGE_REPORT_PAIR.fingerprint()).array());
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        body.write(encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
