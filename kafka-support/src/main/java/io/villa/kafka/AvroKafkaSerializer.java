package io.villa.kafka;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

import io.villa.schemas.AvroCodec;

/** Kafka value serializer over our one codec (Avro single-object encoding). */
public final class AvroKafkaSerializer<T extends SpecificRecord> implements Serializer<T> {

    private final AvroCodec<T> codec;

    public AvroKafkaSerializer(AvroCodec<T> codec) {
        this.codec = codec;
    }

    /** A record Avro cannot encode is that record's error ({@link KafkaErrors#isRecordError}), not the producer's. */
    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        try {
            return codec.encode(record);
        } catch (RuntimeException e) {
            throw new SerializationException(
                    "cannot encode a " + record.getClass().getSimpleName() + " for " + topic + ": "
                            + e.getClass().getSimpleName(),
                    e);
        }
    }
}
