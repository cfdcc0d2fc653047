package io.villa.kafka.embedded;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import io.villa.kafka.KafkaSettings;

/** The broker scenarios against the embedded KRaft broker. */
class EmbeddedBrokerScenariosTest extends KafkaScenarios {

    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Override
    KafkaSettings settings() {
        return broker.settings();
    }
}
