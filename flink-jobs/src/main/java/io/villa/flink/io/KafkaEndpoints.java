package io.villa.flink.io;

import java.time.Duration;
import java.util.Map;

import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

import io.villa.kafka.KafkaSettings;

/** The Kafka sources and sinks of our jobs: raw records in from the group's committed offsets, encoded records out exactly once. */
public final class KafkaEndpoints {

    /** Below the broker's transaction.max.timeout.ms (15 min by default), above checkpoint interval + restarts. */
    static final Duration TRANSACTION_TIMEOUT = Duration.ofMinutes(10);

    private KafkaEndpoints() {}

    /**
     * Raw records of {@code topic}, from the group's committed offsets (else the earliest); {@code bounded}: up to the
     * end offsets found at start, also when resumed from a checkpoint.
     */
    public static Source<RawRecord, ?, ?> rawSource(
            KafkaSettings kafka, String topic, String groupId, long partitionDiscoveryIntervalMs, boolean bounded) {
        KafkaSourceBuilder<RawRecord> builder = KafkaSource.<RawRecord>builder()
                .setBootstrapServers(kafka.bootstrapServers())
                .setProperties(KafkaSettings.asProperties(kafka.consumerConfig(groupId)))
                .setTopics(topic)
                .setGroupId(groupId)
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new RawRecordDeserializer())
                .setProperty("partition.discovery.interval.ms", String.valueOf(partitionDiscoveryIntervalMs));
        if (!bounded) {
            return builder.build();
        }
        builder.setBounded(OffsetsInitializer.latest());
        // a bounded run resumed from a checkpoint must end too (the connector's own enumerator never does)
        return new RestoredBoundedKafkaSource<>(builder.build(), topic, kafka.adminConfig());
    }

    /** An exactly-once (transactional) sink of encoded records to {@code topic}. */
    public static KafkaSink<KeyedBytes> exactlyOnceSink(
            KafkaSettings kafka, String topic, String transactionalIdPrefix) {
        Map<String, Object> producer = kafka.producerConfig();
        producer.put("transaction.timeout.ms", String.valueOf(TRANSACTION_TIMEOUT.toMillis()));
        producer.putAll(kafka.overrides());
        return KafkaSink.<KeyedBytes>builder()
                .setBootstrapServers(kafka.bootstrapServers())
                .setKafkaProducerConfig(KafkaSettings.asProperties(producer))
                .setRecordSerializer(new KeyedBytesSerializer(topic))
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix)
                .build();
    }
}
