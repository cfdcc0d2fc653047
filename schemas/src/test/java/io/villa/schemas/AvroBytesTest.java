package io.villa.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

import io.villa.records.ImageReportPair;

class AvroBytesTest {

    @Test
    void copiesTheRemainingBytesAndLeavesThePositionAlone() {
        ByteBuffer buffer = ByteBuffer.wrap(new byte[] {9, 1, 2, 3});
        buffer.get();

        byte[] copy = AvroBytes.copyOf(buffer);

        assertThat(copy).containsExactly(1, 2, 3);
        assertThat(buffer.position()).isEqualTo(1);
        copy[0] = 7;
        assertThat(buffer.get(1)).isEqualTo((byte) 1);
    }

    @Test
    void aDecodedRecordsFieldCanBeReadTwice() {
        ImageReportPair pair =
                Codecs.IMAGE_REPORT_PAIR.decode(Codecs.IMAGE_REPORT_PAIR.encode(SampleRecords.imageReportPair()));

        byte[] first = AvroBytes.copyOf(pair.getImage().getData());
        byte[] second = AvroBytes.copyOf(pair.getImage().getData());

        assertThat(first).isNotEmpty().isEqualTo(second);
    }
}
