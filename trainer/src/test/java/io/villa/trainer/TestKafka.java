package io.villa.trainer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.villa.kafka.KafkaSettings;
import io.villa.kafka.TopicNames;
import io.villa.kafka.embedded.EmbeddedKafkaBroker;

/**
 * The project's embedded KRaft broker for the trainer's tests, with a few client helpers. A test class registers one
 * ({@code @RegisterExtension static final TestKafka kafka = new TestKafka();}): the broker starts before its first
 * test and stops after its last. {@link #start()} starts one by hand (benchmarks).
 */
public final class TestKafka implements AutoCloseable, BeforeAllCallback, AfterAllCallback {

    private AutoCloseable broker;
    private String bootstrap;

    public static TestKafka start() {
        TestKafka kafka = new TestKafka();
        kafka.startBroker();
        return kafka;
    }

    private void startBroker() {
        EmbeddedKafkaBroker started = EmbeddedKafkaBroker.start();
        broker = started;
        bootstrap = started.bootstrapServers();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        startBroker();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        close();
    }

    public KafkaSettings settings() {
        return KafkaSettings.of(bootstrap);
    }

    public TopicNames topics(String suffix) {
        return new TopicNames("pairs-" + suffix, "regions-" + suffix, "dead-" + suffix, "events-" + suffix);
    }

    public Properties clientConfig() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        return p;
    }

    public void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = Admin.create(clientConfig())) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        }
    }

    /** Writes all records in one committed transaction (the decomposition job writes transactionally too). */
    public void produceCommitted(List<ProducerRecord<byte[], byte[]>> records) {
        Properties p = clientConfig();
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-" + UUID.randomUUID());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            producer.initTransactions();
            producer.beginTransaction();
            records.forEach(producer::send);
            producer.commitTransaction();
        }
    }

    /** Every committed record of a topic, waiting until at least {@code atLeast} arrived (or the timeout). */
    public List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int atLeast, Duration timeout) {
        Properties p = clientConfig();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            long quietUntil = 0;
            while (System.nanoTime() < deadline) {
                var batch = consumer.poll(Duration.ofMillis(200));
                batch.forEach(out::add);
                if (out.size() >= atLeast) {
                    if (quietUntil == 0) {
                        quietUntil = System.nanoTime() + 1_000_000_000L; // a moment more for stragglers
                    } else if (System.nanoTime() > quietUntil) {
                        break;
                    }
                }
            }
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        broker.close();
    }
}
