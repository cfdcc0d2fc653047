package io.villa.trainer.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.villa.kafka.KafkaSettings;

/**
 * The trainer's view of the region-attribute topic: a read-committed consumer that is assigned every
 * partition itself (no group rebalancing: the checkpoint, not the group, owns the position) and seeks
 * to the offsets a checkpoint recorded. Values stay raw bytes so that a record that does not decode
 * can go to the dead-letter topic with its original bytes.
 *
 * <p>Never resets a position by itself ({@code auto.offset.reset=none}): an offset that fell out of retention
 * surfaces as an error the trainer's {@code LostOffsetPolicy} decides on. Partitions added to the topic are
 * found by {@link #refreshPartitions}.
 *
 * <p>The checkpointed offsets are also committed to a consumer group so that standard Kafka tools show
 * the trainer's lag; resuming never reads them back.
 */
public final class KafkaRegionSource implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaRegionSource.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private volatile List<TopicPartition> partitions = List.of();

    /**
     * @param groupId only for committing the checkpointed offsets (monitoring); the position comes from
     *                the checkpoint
     */
    public KafkaRegionSource(KafkaSettings settings, String topic, String groupId) {
        this(settings, topic, groupId, ServiceConfig.DEFAULT_PARTITION_REFRESH_MILLIS);
    }

    /** @param refreshMillis how stale the consumer's view of the topic's partitions may get (metadata age) */
    public KafkaRegionSource(KafkaSettings settings, String topic, String groupId, long refreshMillis) {
        Map<String, Object> config = new HashMap<>(settings.consumerConfig(groupId));
        // not negotiable, whatever was passed through: the exactly-once guarantee rests on these
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        config.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        // partitionsFor answers from cached metadata: refresh it as often as we look for new partitions
        config.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, (int) Math.min(Integer.MAX_VALUE, refreshMillis));
        this.consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.topic = topic;
    }

    public String topic() {
        return topic;
    }

    /**
     * Assigns all partitions, waiting up to {@code wait} for the topic to exist, and positions each at
     * {@code offsets} ("topic:partition" -> offset) or, when absent, at the beginning.
     */
    public List<TopicPartition> assign(Map<String, Long> offsets, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
        while ((infos == null || infos.isEmpty()) && System.nanoTime() < deadline) {
            LOG.info("waiting for topic {} to exist", topic);
            Thread.sleep(1000);
            infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
        }
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist");
        }
        List<TopicPartition> tps = toPartitions(infos);
        consumer.assign(tps);
        consumer.seekToBeginning(tps);
        for (TopicPartition tp : tps) {
            Long offset = offsets.get(key(tp));
            if (offset != null) {
                consumer.seek(tp, offset);
            }
        }
        partitions = List.copyOf(tps);
        return partitions;
    }

    /**
     * Re-reads the topic's partition list; partitions added since are assigned too, positioned at their
     * beginning (the others keep their positions). Returns the added ones.
     */
    public List<TopicPartition> refreshPartitions() {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
        if (infos == null || infos.isEmpty()) {
            return List.of();
        }
        List<TopicPartition> now = toPartitions(infos);
        List<TopicPartition> added =
                now.stream().filter(tp -> !partitions.contains(tp)).toList();
        if (!added.isEmpty()) {
            List<TopicPartition> all = new ArrayList<>(partitions);
            all.addAll(added);
            all.sort(Comparator.comparingInt(TopicPartition::partition));
            consumer.assign(all);
            consumer.seekToBeginning(added);
            partitions = List.copyOf(all);
        }
        return added;
    }

    private List<TopicPartition> toPartitions(List<PartitionInfo> infos) {
        List<TopicPartition> tps = new ArrayList<>();
        for (PartitionInfo info : infos) {
            tps.add(new TopicPartition(topic, info.partition()));
        }
        tps.sort(Comparator.comparingInt(TopicPartition::partition));
        return tps;
    }

    /** Re-reads every partition from its beginning (to rebuild the held-out sets after a restart). */
    public void seekToBeginning() {
        consumer.seekToBeginning(partitions);
    }

    /** Positions these partitions at their earliest available offset. */
    public void seekToBeginning(Collection<TopicPartition> tps) {
        consumer.seekToBeginning(tps);
    }

    /** The earliest offset still in the topic (the log start offset) of each partition. */
    public Map<TopicPartition, Long> earliestOffsets(Collection<TopicPartition> tps) {
        return consumer.beginningOffsets(tps, Duration.ofSeconds(30));
    }

    /** Positions one partition at {@code offset} (the start of a replayed pass). */
    public void seek(TopicPartition tp, long offset) {
        consumer.seek(tp, offset);
    }

    /** Stops fetching from a partition (it reached the end of a replayed pass). */
    public void pause(TopicPartition tp) {
        consumer.pause(List.of(tp));
    }

    public void resumeAll() {
        consumer.resume(consumer.paused());
    }

    /** Makes a blocked {@link #poll} return (the one call that is safe from another thread). */
    public void wakeup() {
        consumer.wakeup();
    }

    public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
        return consumer.poll(timeout);
    }

    public long position(TopicPartition tp) {
        return consumer.position(tp);
    }

    public List<TopicPartition> partitions() {
        return partitions;
    }

    /** Records in the topic not yet read (committed ones), or -1 when unknown. */
    public long lag() {
        long total = 0;
        for (TopicPartition tp : partitions) {
            var lag = consumer.currentLag(tp);
            if (lag.isEmpty()) {
                return -1;
            }
            total += lag.getAsLong();
        }
        return total;
    }

    /** Commits checkpointed offsets to the consumer group (for lag dashboards only). */
    public void commitForMonitoring(Map<String, Long> offsets) {
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        for (TopicPartition tp : partitions) {
            Long o = offsets.get(key(tp));
            if (o != null) {
                commit.put(tp, new OffsetAndMetadata(o));
            }
        }
        try {
            consumer.commitSync(commit);
        } catch (RuntimeException e) {
            LOG.warn("could not commit offsets for monitoring: {}", e.toString());
        }
    }

    public static String key(TopicPartition tp) {
        return tp.topic() + ":" + tp.partition();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
