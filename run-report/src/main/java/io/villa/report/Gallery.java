package io.villa.report;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.villa.kafka.KafkaSettings;
import io.villa.records.RegionAttributePair;
import io.villa.records.Split;
import io.villa.schemas.AvroBytes;
import io.villa.schemas.Codecs;

/**
 * Collects decomposed images for the report from the region-attribute topic.
 *
 * <p>Reads every partition from the beginning up to the end offsets it finds at the start (read_committed, so the
 * last stable offsets: only what the decomposition job committed), under a fresh consumer group and without
 * committing anything, so it disturbs no other reader. Held-out pairs show the mapping model at work on data it never
 * learned from, so TEST images are preferred, then VAL, then TRAIN. An image is complete when its whole-image record
 * was read; its regions are every region record of the same pair id (one key, one partition, so all of them are read
 * once the end offsets are reached).
 */
public final class Gallery {

    private static final Logger LOG = LoggerFactory.getLogger(Gallery.class);
    private static final List<Split> PREFERENCE = List.of(Split.TEST, Split.VAL, Split.TRAIN);
    private static final Duration POLL = Duration.ofMillis(200);

    private Gallery() {}

    /**
     * @param settings  how to reach Kafka (security settings pass through)
     * @param topic     the region-attribute topic
     * @param maxImages at most this many images
     * @param timeout   give up reading after this long and use what was read
     * @return up to {@code maxImages} complete images, TEST first, then VAL, then TRAIN, each split in the order read;
     *         never throws for Kafka trouble (logged as a warning, the images read so far are returned)
     */
    public static List<GalleryImage> collect(KafkaSettings settings, String topic, int maxImages, Duration timeout) {
        if (maxImages <= 0) {
            return List.of();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Object> config = settings.consumerConfig("villa-report-gallery-" + UUID.randomUUID());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false); // reading a report must not create topics
        Collector collector = new Collector(Math.max(4 * maxImages, 16));
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                LOG.warn("topic {} has no partitions: the gallery is empty", topic);
                return List.of();
            }
            // assign, not subscribe: no group rebalance to wait for, and nothing is ever committed
            List<TopicPartition> partitions = infos.stream()
                    .map(i -> new TopicPartition(topic, i.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            while (!reachedEnd(consumer, end, timeout)) {
                if (System.nanoTime() > deadline) {
                    LOG.warn(
                            "gallery: stopped reading {} after {} before its end offsets; using what was read",
                            topic,
                            timeout);
                    break;
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    collector.accept(record);
                }
            }
        } catch (KafkaException e) {
            // the gallery is an illustration: a timeout, an unreachable broker or an interrupt must not cost the run
            // its report
            LOG.warn("gallery: reading {} failed ({}); using what was read", topic, e.toString());
        }
        List<GalleryImage> images = collector.images(maxImages);
        LOG.info(
                "gallery: {} images from {} ({} records read, {} skipped as undecodable)",
                images.size(),
                topic,
                collector.read,
                collector.undecodable);
        return images;
    }

    private static boolean reachedEnd(
            KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> end, Duration timeout) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey(), timeout) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Groups records by pair, keeping at most {@code perSplit} pairs of each split so memory stays bounded. */
    private static final class Collector {
        private final int perSplit;
        private final Map<Split, Map<String, Pending>> bySplit = new EnumMap<>(Split.class);
        long read;
        long undecodable;

        Collector(int perSplit) {
            this.perSplit = perSplit;
        }

        void accept(ConsumerRecord<String, byte[]> record) {
            read++;
            RegionAttributePair pair;
            try {
                pair = Codecs.REGION_ATTRIBUTE_PAIR.decode(record.value());
            } catch (RuntimeException e) {
                // where only: the bytes may hold report text or pixels
                undecodable++;
                LOG.warn(
                        "gallery: skipping an undecodable record at {}-{} offset {}",
                        record.topic(),
                        record.partition(),
                        record.offset());
                return;
            }
            Map<String, Pending> pairs = bySplit.computeIfAbsent(pair.getSplit(), s -> new LinkedHashMap<>());
            Pending pending = pairs.get(pair.getPairId());
            if (pending == null) {
                if (pairs.size() >= perSplit) {
                    return; // enough candidates of this split already
                }
                pending = new Pending(pair.getPairId(), pair.getSplit());
                pairs.put(pair.getPairId(), pending);
            }
            pending.add(pair);
        }

        List<GalleryImage> images(int max) {
            List<GalleryImage> out = new ArrayList<>();
            for (Split split : PREFERENCE) {
                for (Pending p : bySplit.getOrDefault(split, Map.of()).values()) {
                    if (out.size() >= max) {
                        return out;
                    }
                    if (p.whole != null) {
                        out.add(p.image());
                    }
                }
            }
            return out;
        }
    }

    /** What has been read of one pair so far. */
    private static final class Pending {
        private final String pairId;
        private final Split split;
        private RegionAttributePair whole;
        private final Map<Integer, GalleryImage.Region> regions = new TreeMap<>();

        Pending(String pairId, Split split) {
            this.pairId = pairId;
            this.split = split;
        }

        void add(RegionAttributePair r) {
            if (r.getWholeImage()) {
                whole = r;
            } else if (!r.getAttributes().isEmpty()) {
                // keyed by index: a record read twice (it should not be, the topic is exactly-once) counts once
                regions.put(r.getRegionIndex(), region(r));
            }
        }

        GalleryImage image() {
            return new GalleryImage(
                    pairId,
                    split.name(),
                    AvroBytes.copyOf(whole.getRegionImage().getData()),
                    whole.getRegionImage().getWidth(),
                    whole.getRegionImage().getHeight(),
                    new ArrayList<>(regions.values()));
        }

        private static GalleryImage.Region region(RegionAttributePair r) {
            Map<String, Double> scores = new LinkedHashMap<>();
            r.getScores().forEach((k, v) -> scores.put(k.toString(), v.doubleValue()));
            List<String> truth = r.getGroundTruth() == null
                    ? null
                    : r.getGroundTruth().stream().map(CharSequence::toString).toList();
            return new GalleryImage.Region(
                    r.getRegionIndex(),
                    new GalleryImage.Box(
                            r.getBox().getX(),
                            r.getBox().getY(),
                            r.getBox().getWidth(),
                            r.getBox().getHeight()),
                    r.getAttributes().stream().map(CharSequence::toString).toList(),
                    truth,
                    scores);
        }
    }
}
