package io.villa.producers.dicomweb;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.villa.kafka.KafkaSettings;
import io.villa.kafka.TopicAdmin;

/**
 * The feed positions topic: creates it (compacted, one partition) and reads a feed's position back. Reading is
 * read_committed, so a position whose transaction was aborted (a crash before commit) is never seen; the follower
 * calls {@code initTransactions()} first, which aborts a crashed predecessor's open transaction instead of waiting
 * for its timeout.
 */
public final class FeedPositionStore {

    public static final String DEFAULT_TOPIC = "villa.feed-positions";

    private FeedPositionStore() {
    }

    /** Creates the compacted topic when it does not exist. */
    public static void ensureTopic(KafkaSettings settings, String topic, short replicationFactor) {
        try (Admin admin = Admin.create(settings.adminConfig())) {
            NewTopic newTopic = new NewTopic(topic, 1, replicationFactor)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                            // the active segment is never compacted: roll it hourly or at 64 MiB, so that a start
                            // reads about one shard record per shard, not every batch's since the topic began
                            TopicConfig.SEGMENT_MS_CONFIG, String.valueOf(60 * 60 * 1000),
                            TopicConfig.SEGMENT_BYTES_CONFIG, String.valueOf(64 * 1024 * 1024)));
            admin.createTopics(List.of(newTopic)).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create the feed positions topic " + topic + ": "
                        + e.getCause().getMessage(), e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating " + topic, e);
        }
        try (TopicAdmin admin = new TopicAdmin(settings)) {
            admin.awaitLeaders(List.of(topic), Duration.ofSeconds(30));
        }
    }

    /** The latest committed position of the feed (empty when it has none). */
    public static FeedPosition load(KafkaSettings settings, String topic, String feedId) {
        FeedPosition position = new FeedPosition();
        String prefix = feedId + "/";
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(settings.consumerConfig("villa-feed-position-reader"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            Map<TopicPartition, Long> end = consumer.endOffsets(assigned, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (assigned.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading the feed position from " + topic + " took over 2 minutes");
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key() != null && record.key().startsWith(prefix) && record.value() != null) {
                        position.load(record.key().substring(prefix.length()), record.value());
                    }
                }
            }
        }
        // reading marks nothing as changed
        position.takeChanges();
        return position;
    }
}
