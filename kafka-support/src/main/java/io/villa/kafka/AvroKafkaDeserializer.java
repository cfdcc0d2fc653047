package io.villa.kafka;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;

import io.villa.schemas.AvroCodec;

/**
 * Kafka value deserializer over our one codec. Bytes that are not a record raise
 * {@link io.villa.schemas.RecordDecodingException}; consumers that must not stop on bad input read
 * raw bytes instead and decode themselves, sending failures to the dead-letter topic.
 */
public final class AvroKafkaDeserializer<T extends SpecificRecord> implements Deserializer<T> {

    private final AvroCodec<T> codec;

    public AvroKafkaDeserializer(AvroCodec<T> codec) {
        this.codec = codec;
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        return data == null ? null : codec.decode(data);
    }
}
