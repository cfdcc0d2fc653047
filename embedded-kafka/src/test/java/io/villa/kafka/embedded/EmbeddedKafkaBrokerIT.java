package io.villa.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.villa.kafka.TopicAdmin;
import io.villa.kafka.TopicNames;

class EmbeddedKafkaBrokerIT {

    @Test
    void createsTheDesignTopicsWithTheRequestedPartitions() {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start().createTopics(TopicNames.defaults(), 3);
                TopicAdmin admin = new TopicAdmin(broker.settings())) {
            var described = admin.describe(TopicNames.defaults().all());

            assertThat(described).containsOnlyKeys(TopicNames.defaults().all());
            described.values().forEach(d -> assertThat(d.partitions()).hasSize(3));
        }
    }

    @Test
    void aTakenPortIsAClearError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();

            assertThatThrownBy(() -> EmbeddedKafkaBroker.builder().port(port).start())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("could not start on port " + port)
                    .hasMessageContaining("Address already in use");
        }
    }

    @Test
    void aTemporaryDataDirectoryIsDeletedOnClose() {
        Path dir;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            dir = broker.dataDir();
            assertThat(dir).exists();
        }
        assertThat(dir).doesNotExist();
    }

    @Test
    void aGivenDataDirectoryKeepsRecordsAcrossRestarts(@TempDir Path dir) {
        try (EmbeddedKafkaBroker broker =
                        EmbeddedKafkaBroker.builder().dataDir(dir).start();
                var producer = new KafkaProducer<>(
                        broker.settings().producerConfig(), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>("kept", "k" + i, "v" + i));
            }
            producer.flush();
        }
        assertThat(Files.exists(dir.resolve("meta.properties"))).isTrue();

        List<String> values = new ArrayList<>();
        try (EmbeddedKafkaBroker broker =
                        EmbeddedKafkaBroker.builder().dataDir(dir).start();
                var consumer = new KafkaConsumer<>(
                        broker.settings().consumerConfig("after-restart"),
                        new StringDeserializer(),
                        new StringDeserializer())) {
            consumer.subscribe(List.of("kept"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.size() < 5 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(300)).forEach(r -> values.add(r.value()));
            }
        }
        assertThat(values).containsExactly("v0", "v1", "v2", "v3", "v4");
    }
}
