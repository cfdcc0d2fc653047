package io.villa.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;

import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AvroCodecRoundTripTest {

    static Stream<Arguments> records() {
        return Stream.of(
                Arguments.of(Codecs.IMAGE_REPORT_PAIR, SampleRecords.imageReportPair()),
                Arguments.of(Codecs.REGION_ATTRIBUTE_PAIR, SampleRecords.regionAttributePair()),
                Arguments.of(Codecs.DEAD_LETTER, SampleRecords.deadLetter()),
                Arguments.of(Codecs.TRAINER_EVENT, SampleRecords.trainerEvent()));
    }

    @ParameterizedTest
    @MethodSource("records")
    <T extends SpecificRecord> void everyRecordSurvivesEncodeAndDecode(AvroCodec<T> codec, T record) {
        byte[] bytes = codec.encode(record);

        assertThat(codec.decode(bytes)).isEqualTo(record);
    }

    @ParameterizedTest
    @MethodSource("records")
    <T extends SpecificRecord> void bytesStartWithTheSingleObjectMarkerAndTheSchemaFingerprint(AvroCodec<T> codec, T record) {
        byte[] bytes = codec.encode(record);

        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        long fingerprint = java.nio.ByteBuffer.wrap(bytes, 2, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(fingerprint).isEqualTo(codec.fingerprint());
    }

    @ParameterizedTest
    @MethodSource("records")
    <T extends SpecificRecord> void theFourRecordTypesHaveDistinctFingerprints(AvroCodec<T> codec, T record) {
        long others = Stream.of(Codecs.IMAGE_REPORT_PAIR, Codecs.REGION_ATTRIBUTE_PAIR, Codecs.DEAD_LETTER, Codecs.TRAINER_EVENT)
                .filter(c -> c.fingerprint() == codec.fingerprint())
                .count();
        assertThat(others).isEqualTo(1);
    }
}
