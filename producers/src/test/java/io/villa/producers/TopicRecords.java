package io.villa.producers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import io.villa.kafka.KafkaSettings;

/** How the feed tests read what a producer wrote: everything on a topic once it has stopped growing. */
public final class TopicRecords {

    private TopicRecords() {}

    /**
     * Subscribes {@code consumer} to {@code topic} and polls until it holds at least {@code atLeast} records and three
     * polls in a row brought no more (so a surplus shows too), or 30 s passed; then closes it.
     */
    public static <K, V> List<ConsumerRecord<K, V>> drain(KafkaConsumer<K, V> consumer, String topic, int atLeast) {
        List<ConsumerRecord<K, V>> out = new ArrayList<>();
        try (consumer) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 30_000;
            int emptyPolls = 0;
            while (System.currentTimeMillis() < deadline && (out.size() < atLeast || emptyPolls < 3)) {
                int before = out.size();
                consumer.poll(Duration.ofMillis(300)).forEach(out::add);
                emptyPolls = out.size() == before && out.size() >= atLeast ? emptyPolls + 1 : 0;
            }
        }
        return out;
    }

    /** {@link #drain} as bytes, in a consumer group of its own. */
    public static List<ConsumerRecord<byte[], byte[]>> raw(KafkaSettings settings, String topic, int atLeast) {
        return drain(
                new KafkaConsumer<>(
                        settings.consumerConfig("raw-" + topic),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer()),
                topic,
                atLeast);
    }
}
