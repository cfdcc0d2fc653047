package io.villa.kafka.embedded;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.villa.kafka.TopicNames;

/**
 * One embedded broker for a test class, started before its first test and closed after its last:
 * {@code @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();}
 * then {@code KAFKA.broker()}. Shared with other modules' tests through this module's test-jar.
 */
public final class EmbeddedKafkaExtension implements BeforeAllCallback, AfterAllCallback {

    private final TopicNames topics;
    private final int partitions;
    private EmbeddedKafkaBroker broker;

    /** A broker with no topics created up front. */
    public EmbeddedKafkaExtension() {
        this(null, 0);
    }

    /** A broker with these topics created, each with {@code partitions} partitions. */
    public EmbeddedKafkaExtension(TopicNames topics, int partitions) {
        this.topics = topics;
        this.partitions = partitions;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        broker = EmbeddedKafkaBroker.start();
        if (topics != null) {
            broker.createTopics(topics, partitions);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (broker != null) {
            broker.close();
        }
    }

    public EmbeddedKafkaBroker broker() {
        if (broker == null) {
            throw new IllegalStateException("the broker starts before the first test: register the extension on a static field");
        }
        return broker;
    }
}
