package io.villa.cli.demo;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.villa.kafka.KafkaSettings;
import io.villa.kafka.TopicNames;
import io.villa.records.DeadLetter;
import io.villa.records.ImageReportPair;
import io.villa.records.RegionAttributePair;
import io.villa.schemas.AvroBytes;

/**
 * Counts the records the pipeline committed to its topics, reading each record once: one read_committed
 * consumer over the pairs, region-attribute, dead-letter and trainer-events topics, assigned (no group, no
 * commits) and read on from where the last call stopped. Each record is decoded only as far as its count
 * needs; trainer events are handed on whole. One thread at a time.
 */
final class TopicCounter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicCounter.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private static final RecordFields PAIR = new RecordFields(ImageReportPair.getClassSchema(), "pairId", "split");
    private static final RecordFields REGION =
            new RecordFields(RegionAttributePair.getClassSchema(), "pairId", "wholeImage", "split", "groundTruth");
    private static final RecordFields DEAD_LETTER = new RecordFields(
            DeadLetter.getClassSchema(), "sourceTopic", "sourcePartition", "sourceOffset", "stage", "originalKey");

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final TopicNames topics;
    private final Consumer<ConsumerRecord<byte[], byte[]>> trainerEvents;
    private final Set<TopicPartition> assigned = new LinkedHashSet<>();
    private final PairLedger ledger = new PairLedger();
    private final Map<String, long[]> regionsBySplit = new HashMap<>(); // split -> {region records, evaluable}
    private final Map<String, Long> deadLettersByStage = new TreeMap<>();
    private long deadLetters;
    private long regionRecords;
    private long undecodable;
    private long unreadOffsets = -1;

    /** @param trainerEvents gets every record of the trainer-events topic, in order */
    TopicCounter(KafkaSettings kafka, TopicNames topics, Consumer<ConsumerRecord<byte[], byte[]>> trainerEvents) {
        Map<String, Object> config =
                kafka.consumerConfig("villa-status"); // read_committed; assigned, so the group is never joined
        this.consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.topics = topics;
        this.trainerEvents = trainerEvents;
    }

    /**
     * Reads what has been committed since the last call, for at most {@code budget} (a backlog is read over
     * several calls). A Kafka error is logged and leaves the counts as they were.
     */
    void read(Duration budget) {
        try {
            readFor(budget);
            unreadOffsets = unread();
        } catch (RuntimeException e) {
            LOG.warn("counting committed records failed: {}", e.toString());
            unreadOffsets = -1;
        }
    }

    /** Reads until every committed record is read or {@code timeout} passed; true when read to the end. */
    boolean readToEnd(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            read(Duration.ofSeconds(2));
            if (unreadOffsets == 0) {
                return true;
            }
        } while (System.nanoTime() < deadline);
        LOG.warn(
                "the topics were not read to their end within {} s ({} offsets left)",
                timeout.toSeconds(),
                unreadOffsets);
        return false;
    }

    PipelineCounts counts() {
        PairLedger.Totals totals = ledger.totals();
        Set<String> splitNames = new LinkedHashSet<>(totals.splits().keySet());
        splitNames.addAll(regionsBySplit.keySet());
        Map<String, PipelineCounts.SplitCounts> splits = new LinkedHashMap<>();
        for (String s : splitNames) {
            long[] r = regionsBySplit.getOrDefault(s, new long[2]);
            splits.put(
                    s,
                    new PipelineCounts.SplitCounts(
                            totals.splits().getOrDefault(s, PipelineCounts.Pairs.NONE), r[0], r[1]));
        }
        return new PipelineCounts(
                totals.all(),
                splits,
                deadLetters,
                Collections.unmodifiableMap(new TreeMap<>(deadLettersByStage)),
                regionRecords,
                undecodable,
                unreadOffsets);
    }

    private void readFor(Duration budget) {
        assignNewPartitions();
        if (assigned.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + budget.toNanos();
        boolean first = true;
        while (System.nanoTime() < deadline) {
            ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(first ? 200 : 20));
            first = false;
            if (records.isEmpty()) {
                return;
            }
            for (ConsumerRecord<byte[], byte[]> r : records) {
                count(r);
            }
        }
    }

    /** Topics may appear after the monitor started: assign what exists (positions of those assigned are kept). */
    private void assignNewPartitions() {
        if (assigned.stream().map(TopicPartition::topic).toList().containsAll(topics.all())) {
            return;
        }
        List<TopicPartition> found = new ArrayList<>();
        for (String topic : topics.all()) {
            List<PartitionInfo> infos;
            try {
                infos = consumer.partitionsFor(topic, CALL_TIMEOUT);
            } catch (RuntimeException e) {
                continue;
            }
            for (PartitionInfo p : infos == null ? List.<PartitionInfo>of() : infos) {
                found.add(new TopicPartition(p.topic(), p.partition()));
            }
        }
        if (assigned.addAll(found)) {
            consumer.assign(assigned);
        }
    }

    private long unread() {
        if (assigned.isEmpty()) {
            return -1;
        }
        // for a read_committed consumer the end offset is the last stable offset: what is committed
        Map<TopicPartition, Long> ends = consumer.endOffsets(assigned, CALL_TIMEOUT);
        long sum = 0;
        for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
            sum += Math.max(0, e.getValue() - consumer.position(e.getKey(), CALL_TIMEOUT));
        }
        return sum;
    }

    private void count(ConsumerRecord<byte[], byte[]> r) {
        String topic = r.topic();
        if (topic.equals(topics.imageReportPairs())) {
            countPair(r);
        } else if (topic.equals(topics.regionAttributePairs())) {
            countRegion(r);
        } else if (topic.equals(topics.deadLetters())) {
            countDeadLetter(r);
        } else if (topic.equals(topics.trainerEvents())) {
            trainerEvents.accept(r);
        }
    }

    private void countPair(ConsumerRecord<byte[], byte[]> r) {
        GenericRecord pair = PAIR.read(r.value());
        String id = r.key() != null
                ? utf8(r.key())
                : pair != null ? RecordFields.text(pair, "pairId") : coordinates(r.partition(), r.offset());
        // an unreadable pair still counts as produced: its outcome is the job's dead letter
        ledger.produced(id, pair == null ? null : RecordFields.text(pair, "split"));
    }

    private void countRegion(ConsumerRecord<byte[], byte[]> r) {
        GenericRecord region = REGION.read(r.value());
        if (region == null) {
            undecodable++;
            return;
        }
        String split = RecordFields.text(region, "split");
        if (Boolean.TRUE.equals(region.get("wholeImage"))) {
            ledger.decomposed(RecordFields.text(region, "pairId"), split); // one whole-image record per decomposed pair
            return;
        }
        regionRecords++;
        long[] bySplit = regionsBySplit.computeIfAbsent(split, k -> new long[2]);
        bySplit[0]++;
        if (region.get("groundTruth") instanceof List<?> truth && !truth.isEmpty()) {
            bySplit[1]++;
        }
    }

    private void countDeadLetter(ConsumerRecord<byte[], byte[]> r) {
        deadLetters++;
        GenericRecord letter = DEAD_LETTER.read(r.value());
        if (letter == null) {
            undecodable++;
            deadLettersByStage.merge("(unreadable)", 1L, Long::sum);
            return;
        }
        deadLettersByStage.merge(RecordFields.text(letter, "stage"), 1L, Long::sum);
        // a rejected record of the pairs topic (it has a source offset there): that pair's outcome. Producers'
        // dead letters name the topic too, but no offset: those pairs never reached it.
        Object offset = letter.get("sourceOffset");
        if (topics.imageReportPairs().equals(RecordFields.text(letter, "sourceTopic")) && offset != null) {
            ledger.deadLettered(deadLetterPairId(r, letter, (Long) offset));
        }
    }

    private static String deadLetterPairId(ConsumerRecord<byte[], byte[]> r, GenericRecord letter, long sourceOffset) {
        if (r.key() != null) {
            return utf8(r.key());
        }
        if (letter.get("originalKey") instanceof ByteBuffer key) {
            return utf8(AvroBytes.copyOf(key));
        }
        Object partition = letter.get("sourcePartition");
        return coordinates(partition == null ? -1 : (Integer) partition, sourceOffset);
    }

    /** The id of a pair without key: where it was on the pairs topic. */
    private static String coordinates(int partition, long offset) {
        return "@" + partition + ":" + offset;
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
