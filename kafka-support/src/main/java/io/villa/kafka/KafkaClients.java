package io.villa.kafka;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.villa.schemas.AvroCodec;

/**
 * Ready-made clients for our topics: String keys (record ids), Avro values through the one codec, configured by
 * {@link KafkaSettings}. Callers close what they get.
 */
public final class KafkaClients {

    private KafkaClients() {
    }

    /** An idempotent producer ({@code acks=all}) of records of one type. */
    public static <T extends SpecificRecord> KafkaProducer<String, T> producer(KafkaSettings settings, AvroCodec<T> codec) {
        return new KafkaProducer<>(settings.producerConfig(), new StringSerializer(), new AvroKafkaSerializer<>(codec));
    }

    /** A transactional producer; call {@code initTransactions()} before the first transaction. */
    public static <T extends SpecificRecord> KafkaProducer<String, T> transactionalProducer(KafkaSettings settings,
            String transactionalId, AvroCodec<T> codec) {
        return new KafkaProducer<>(settings.transactionalProducerConfig(transactionalId), new StringSerializer(),
                new AvroKafkaSerializer<>(codec));
    }

    /**
     * A read_committed consumer that decodes values; a value that is not a record fails the poll. Stages that must
     * survive bad input use {@link #rawConsumer} and decode themselves.
     */
    public static <T extends SpecificRecord> KafkaConsumer<String, T> consumer(KafkaSettings settings, String groupId,
            AvroCodec<T> codec) {
        return new KafkaConsumer<>(settings.consumerConfig(groupId), new StringDeserializer(), new AvroKafkaDeserializer<>(codec));
    }

    /** A read_committed consumer of undecoded values, so that bad bytes can go to the dead-letter topic. */
    public static KafkaConsumer<String, byte[]> rawConsumer(KafkaSettings settings, String groupId) {
        return new KafkaConsumer<>(settings.consumerConfig(groupId), new StringDeserializer(), new ByteArrayDeserializer());
    }
}
