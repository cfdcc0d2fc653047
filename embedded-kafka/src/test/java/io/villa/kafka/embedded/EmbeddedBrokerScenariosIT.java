package io.villa.kafka.embedded;

import org.junit.jupiter.api.extension.RegisterExtension;

import io.villa.kafka.KafkaSettings;

/** The broker scenarios against the embedded KRaft broker. */
class EmbeddedBrokerScenariosIT extends KafkaScenarios {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @Override
    KafkaSettings settings() {
        return KAFKA.broker().settings();
    }
}
