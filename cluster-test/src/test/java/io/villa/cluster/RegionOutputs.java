package io.villa.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import io.villa.kafka.KafkaClients;
import io.villa.kafka.KafkaSettings;
import io.villa.kafka.TopicNames;
import io.villa.records.RegionAttributePair;
import io.villa.records.Split;
import io.villa.schemas.Codecs;

/**
 * What one run of the decomposition job wrote, read back read_committed: every region-attribute record by
 * (pairId, regionIndex), as bytes and decoded, and the dead letters.
 */
final class RegionOutputs {

    /** "pairId#regionIndex" -> the record's value bytes (Avro single-object encoding), sorted by key. */
    final Map<String, byte[]> values = new TreeMap<>();
    final Map<String, RegionAttributePair> records = new TreeMap<>();
    /** Keys seen more than once (exactly-once output has none). */
    final List<String> duplicates = new ArrayList<>();
    /** pairId -> number of whole-image records. */
    final Map<String, Integer> wholeImages = new HashMap<>();
    final List<ConsumerRecord<String, byte[]>> deadLetters;
    /** Records whose Kafka key is not their pair id. */
    final List<String> wrongKeys = new ArrayList<>();

    private RegionOutputs(List<ConsumerRecord<String, byte[]>> regions, List<ConsumerRecord<String, byte[]>> deadLetters) {
        for (ConsumerRecord<String, byte[]> r : regions) {
            RegionAttributePair region = Codecs.REGION_ATTRIBUTE_PAIR.decode(r.value());
            String key = region.getPairId() + "#" + region.getRegionIndex();
            if (!region.getPairId().equals(r.key())) {
                wrongKeys.add(key);
            }
            if (values.put(key, r.value()) != null) {
                duplicates.add(key);
            }
            records.put(key, region);
            if (region.getWholeImage()) {
                wholeImages.merge(region.getPairId(), 1, Integer::sum);
            }
        }
        this.deadLetters = deadLetters;
    }

    static RegionOutputs read(KafkaSettings kafka, TopicNames topics) {
        return new RegionOutputs(readCommitted(kafka, topics.regionAttributePairs()), readCommitted(kafka, topics.deadLetters()));
    }

    /** Region records (not whole images) of a split. */
    List<RegionAttributePair> regions(Split split) {
        return records.values().stream().filter(r -> !r.getWholeImage() && r.getSplit() == split).toList();
    }

    /**
     * Mapping precision, recall and F1 of a split against the ground truth carried by the records.
     *
     * @param truePairs the number of true (region, attribute) pairs of that split in the input
     */
    double[] quality(Split split, long truePairs) {
        long assigned = 0;
        long correct = 0;
        for (RegionAttributePair r : regions(split)) {
            assigned += r.getAttributes().size();
            correct += r.getAttributes().stream().filter(r.getGroundTruth()::contains).count();
        }
        double precision = assigned == 0 ? 0 : (double) correct / assigned;
        double recall = (double) correct / truePairs;
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new double[] {precision, recall, f1};
    }

    /** Every record of every partition up to the last stable offset, read_committed. */
    static List<ConsumerRecord<String, byte[]>> readCommitted(KafkaSettings kafka, String topic) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = KafkaClients.rawConsumer(kafka, "cluster-test-reader-" + topic)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " up to its end offsets " + end + " within 60 s");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }
}
