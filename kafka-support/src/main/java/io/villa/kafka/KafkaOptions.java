package io.villa.kafka;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import picocli.CommandLine.Option;

/** Command-line options shared by every command that talks to Kafka. */
public class KafkaOptions {

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", defaultValue = "localhost:9092",
            description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    public String bootstrap;

    @Option(names = "--kafka-config", paramLabel = "FILE",
            description = "A properties file of Kafka client settings (security, timeouts, ...), passed through.")
    public Path configFile;

    @Option(names = "--kafka", paramLabel = "KEY=VALUE",
            description = "A Kafka client setting, passed through; repeatable; wins over --kafka-config.")
    public Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--topic-pairs", paramLabel = "TOPIC", defaultValue = TopicNames.DEFAULT_IMAGE_REPORT_PAIRS,
            description = "Image-report pair topic (default: ${DEFAULT-VALUE}).")
    public String pairsTopic;

    @Option(names = "--topic-regions", paramLabel = "TOPIC", defaultValue = TopicNames.DEFAULT_REGION_ATTRIBUTE_PAIRS,
            description = "Region-attribute pair topic (default: ${DEFAULT-VALUE}).")
    public String regionsTopic;

    @Option(names = "--topic-dead-letters", paramLabel = "TOPIC", defaultValue = TopicNames.DEFAULT_DEAD_LETTERS,
            description = "Dead-letter topic (default: ${DEFAULT-VALUE}).")
    public String deadLettersTopic;

    @Option(names = "--topic-trainer-events", paramLabel = "TOPIC", defaultValue = TopicNames.DEFAULT_TRAINER_EVENTS,
            description = "Trainer event topic (default: ${DEFAULT-VALUE}).")
    public String trainerEventsTopic;

    public KafkaSettings settings() {
        Map<String, String> overrides = new LinkedHashMap<>();
        if (configFile != null) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(configFile)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read Kafka settings from " + configFile, e);
            }
            properties.stringPropertyNames().forEach(name -> overrides.put(name, properties.getProperty(name)));
        }
        overrides.putAll(settings);
        return new KafkaSettings(bootstrap, overrides);
    }

    public TopicNames topics() {
        return new TopicNames(pairsTopic, regionsTopic, deadLettersTopic, trainerEventsTopic);
    }
}
