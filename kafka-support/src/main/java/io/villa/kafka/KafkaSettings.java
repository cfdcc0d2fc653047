package io.villa.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * All Kafka client configuration, in one place, as plain configuration maps.
 *
 * <p>Our defaults are the guarantees of docs/ARCHITECTURE.md: idempotent producers with {@code acks=all},
 * consumers that only see committed transactions. Anything the user passes through (security settings,
 * timeouts, ...) is applied on top and wins.
 */
public final class KafkaSettings {

    private final String bootstrapServers;
    private final Map<String, String> overrides;

    public KafkaSettings(String bootstrapServers, Map<String, String> overrides) {
        this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        this.overrides = Map.copyOf(overrides);
    }

    public static KafkaSettings of(String bootstrapServers) {
        return new KafkaSettings(bootstrapServers, Map.of());
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The user's pass-through settings (security and the like), without our defaults. */
    public Map<String, String> overrides() {
        return overrides;
    }

    /** Settings every client shares: the bootstrap address and the pass-through (e.g. TLS, SASL). */
    public Map<String, Object> commonConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.putAll(overrides);
        return config;
    }

    /**
     * An idempotent producer. Serializers are passed explicitly to the {@code KafkaProducer} constructor
     * (keys: {@code StringSerializer}; values: {@link AvroKafkaSerializer}).
     */
    public Map<String, Object> producerConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.putAll(overrides);
        return config;
    }

    /** Kafka producers' default max.request.size. */
    public static final int DEFAULT_MAX_REQUEST_SIZE = 1024 * 1024;
    /** Room for the key, headers and batch framing around one record in a produce request. */
    static final int RECORD_FRAMING = 8 * 1024;

    /**
     * The largest record value our producers can send: their max.request.size (passed through, or Kafka's default)
     * less room for framing. Stages check their outputs against it, since an oversized record fails its producer.
     */
    public int producerRecordLimit() {
        return recordLimit(Integer.parseInt(overrides.getOrDefault(ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                String.valueOf(DEFAULT_MAX_REQUEST_SIZE))));
    }

    /** The record limit for a producer whose max.request.size is {@code maxRequestSize}. */
    public static int recordLimit(int maxRequestSize) {
        return Math.max(1, maxRequestSize - RECORD_FRAMING);
    }

    /** A transactional producer: idempotent, with a transactional id. */
    public Map<String, Object> transactionalProducerConfig(String transactionalId) {
        Map<String, Object> config = producerConfig();
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        config.putAll(overrides);
        return config;
    }

    /** A consumer that sees committed records only and commits offsets itself; deserializers are passed explicitly. */
    public Map<String, Object> consumerConfig(String groupId) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.putAll(overrides);
        return config;
    }

    public Map<String, Object> adminConfig() {
        return commonConfig();
    }

    /** A configuration map as {@code Properties}, for APIs (Flink's connector) that take those. */
    public static java.util.Properties asProperties(Map<String, Object> config) {
        java.util.Properties properties = new java.util.Properties();
        config.forEach((k, v) -> properties.setProperty(k, String.valueOf(v)));
        return properties;
    }
}
