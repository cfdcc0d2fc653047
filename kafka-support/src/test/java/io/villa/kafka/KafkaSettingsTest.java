package io.villa.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class KafkaSettingsTest {

    @Test
    void producersAreIdempotentAndWaitForAllReplicas() {
        Map<String, Object> config = KafkaSettings.of("broker:9092").producerConfig();

        assertThat(config).containsEntry("bootstrap.servers", "broker:9092")
                .containsEntry("enable.idempotence", true)
                .containsEntry("acks", "all")
                .doesNotContainKey("transactional.id");
    }

    @Test
    void consumersReadCommittedAndCommitThemselves() {
        Map<String, Object> config = KafkaSettings.of("broker:9092").consumerConfig("group-a");

        assertThat(config).containsEntry("group.id", "group-a")
                .containsEntry("isolation.level", "read_committed")
                .containsEntry("enable.auto.commit", false);
    }

    @Test
    void transactionalProducersKeepTheProducerGuaranteesAndCarryTheirId() {
        Map<String, Object> config = KafkaSettings.of("broker:9092").transactionalProducerConfig("decompose-1");

        assertThat(config).containsEntry("transactional.id", "decompose-1")
                .containsEntry("enable.idempotence", true)
                .containsEntry("acks", "all");
    }

    @Test
    void passThroughSettingsReachEveryClientAndWinOnlyWhereSet() {
        KafkaSettings settings = new KafkaSettings("broker:9093", Map.of(
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "PLAIN",
                "enable.auto.commit", "true"));

        for (Map<String, Object> config : new Map[] {settings.producerConfig(), settings.consumerConfig("g"),
                settings.adminConfig(), settings.transactionalProducerConfig("t")}) {
            assertThat(config).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "PLAIN")
                    .containsEntry("bootstrap.servers", "broker:9093");
        }
        assertThat(settings.consumerConfig("g")).containsEntry("enable.auto.commit", "true")
                .containsEntry("isolation.level", "read_committed");
        assertThat(settings.producerConfig()).containsEntry("acks", "all");
    }
}
