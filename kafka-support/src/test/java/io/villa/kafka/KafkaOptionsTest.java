package io.villa.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class KafkaOptionsTest {

    @Command(name = "probe")
    static final class Probe {
        @Mixin
        KafkaOptions kafka;
    }

    private static KafkaOptions parse(String... args) {
        Probe probe = new Probe();
        new CommandLine(probe).parseArgs(args);
        return probe.kafka;
    }

    @Test
    void settingsComeFromAFileAndKeyValuePairsWhichWin(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, "security.protocol=SSL\nssl.truststore.location=/etc/kafka/trust.jks\nacks=1\n");

        KafkaSettings settings = parse("--bootstrap", "kafka-1:9093", "--kafka-config", file.toString(),
                "--kafka", "security.protocol=SASL_SSL", "--kafka", "sasl.mechanism=SCRAM-SHA-512").settings();

        assertThat(settings.bootstrapServers()).isEqualTo("kafka-1:9093");
        assertThat(settings.producerConfig())
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("ssl.truststore.location", "/etc/kafka/trust.jks")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("acks", "1");
    }

    @Test
    void topicNamesDefaultToTheDesignAndCanBeChanged() {
        assertThat(parse().topics()).isEqualTo(TopicNames.defaults());

        TopicNames topics = parse("--topic-pairs", "site-a.pairs", "--topic-dead-letters", "site-a.dlq").topics();

        assertThat(topics.imageReportPairs()).isEqualTo("site-a.pairs");
        assertThat(topics.deadLetters()).isEqualTo("site-a.dlq");
        assertThat(topics.regionAttributePairs()).isEqualTo(TopicNames.DEFAULT_REGION_ATTRIBUTE_PAIRS);
    }

    @Test
    void anUnreadableConfigFileIsAClearError(@TempDir Path dir) {
        KafkaOptions options = parse("--kafka-config", dir.resolve("missing.properties").toString());

        org.assertj.core.api.Assertions.assertThatThrownBy(options::settings)
                .hasMessageContaining("cannot read Kafka settings from").hasMessageContaining("missing.properties");
    }
}
