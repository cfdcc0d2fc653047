package io.villa.kafka.embedded;

import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

import io.villa.kafka.KafkaSettings;

/** The same broker scenarios against a real Kafka in a container; skipped where there is no Docker. */
@Testcontainers(disabledWithoutDocker = true)
class ContainerBrokerScenariosIT extends KafkaScenarios {

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.2.0");

    @Override
    KafkaSettings settings() {
        return KafkaSettings.of(KAFKA.getBootstrapServers());
    }
}
