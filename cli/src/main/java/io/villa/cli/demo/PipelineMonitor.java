package io.villa.cli.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.villa.flink.operators.MappingOperator;
import io.villa.kafka.KafkaSettings;
import io.villa.kafka.TopicNames;
import io.villa.records.TrainerEvent;
import io.villa.records.TrainerEventKind;
import io.villa.schemas.Codecs;
import io.villa.schemas.RecordDecodingException;
import io.villa.trainer.service.TrainerRun;

/**
 * Watches a pipeline through Kafka alone, so the demo and a deployed system look the same: end offsets
 * of the topics, the lag of the decomposition job's and the trainers' consumer groups, and the events
 * the mapping model and the trainers publish on the trainer-events topic. Keeps every event it read,
 * which is where the demo's curves come from. One thread at a time.
 */
public final class PipelineMonitor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineMonitor.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private final Admin admin;
    private final KafkaConsumer<byte[], byte[]> events;
    private final TopicNames topics;
    private final String decomposeGroup;
    private final List<String> trainerIds;
    private final List<TrainerEvent> mappingEvents = new ArrayList<>();
    private final Map<String, List<TrainerEvent>> trainerEvents = new LinkedHashMap<>();
    private boolean eventsAssigned;

    /**
     * @param decomposeGroup the decomposition job's consumer group (DecomposeOptions --group-id)
     * @param trainerIds     model ids of the trainers to show; their groups are TrainerRun.consumerGroup(id)
     */
    public PipelineMonitor(KafkaSettings kafka, TopicNames topics, String decomposeGroup, List<String> trainerIds) {
        this.admin = Admin.create(kafka.adminConfig());
        this.events = new KafkaConsumer<>(kafka.consumerConfig("villa-status"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        this.topics = topics;
        this.decomposeGroup = decomposeGroup;
        this.trainerIds = List.copyOf(trainerIds);
        trainerIds.forEach(id -> trainerEvents.put(id, new ArrayList<>()));
    }

    /** Reads new events and offsets; a Kafka call that fails leaves the affected figures unknown (-1). */
    public synchronized PipelineStatus poll() {
        readEvents();
        long produced = endOffset(topics.imageReportPairs());
        long regions = endOffset(topics.regionAttributePairs());
        long deadLetters = endOffset(topics.deadLetters());
        long decomposed = committed(decomposeGroup, topics.imageReportPairs());
        List<PipelineStatus.TrainerStatus> trainers = new ArrayList<>();
        for (String id : trainerIds) {
            long trainerCommitted = committed(TrainerRun.consumerGroup(id), topics.regionAttributePairs());
            long lag = regions < 0 || trainerCommitted < 0 ? -1 : Math.max(0, regions - trainerCommitted);
            trainers.add(trainerStatus(id, trainerEvents.get(id), lag));
        }
        return new PipelineStatus(Instant.now(), produced, decomposed, regions, deadLetters, mappingStatus(), trainers);
    }

    /** Every mapping quality event read so far, oldest first. */
    public synchronized List<TrainerEvent> mappingEvents() {
        return List.copyOf(mappingEvents);
    }

    /** Every event of this trainer read so far, oldest first. */
    public synchronized List<TrainerEvent> trainerEvents(String modelId) {
        return List.copyOf(trainerEvents.getOrDefault(modelId, List.of()));
    }

    private void readEvents() {
        if (!eventsAssigned) {
            List<TopicPartition> partitions = partitions(topics.trainerEvents());
            if (partitions.isEmpty()) {
                return;
            }
            events.assign(partitions);
            events.seekToBeginning(partitions);
            eventsAssigned = true;
        }
        try {
            for (int i = 0; i < 20; i++) { // bounded: a long backlog is read over several polls
                var records = events.poll(Duration.ofMillis(i == 0 ? 200 : 50));
                if (records.isEmpty()) {
                    return;
                }
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    keep(r);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("reading {} failed: {}", topics.trainerEvents(), e.toString());
        }
    }

    private void keep(ConsumerRecord<byte[], byte[]> r) {
        TrainerEvent event;
        try {
            event = Codecs.TRAINER_EVENT.decode(r.value());
        } catch (RecordDecodingException e) {
            LOG.warn("skipping undecodable trainer event {}:{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
            return;
        }
        String id = event.getModelId();
        if (id.equals(MappingOperator.MODEL_ID)) {
            mappingEvents.add(event);
        } else if (trainerEvents.containsKey(id)) {
            trainerEvents.get(id).add(event);
        }
    }

    private Map<String, Double> mappingStatus() {
        if (mappingEvents.isEmpty()) {
            return Map.of();
        }
        TrainerEvent last = mappingEvents.get(mappingEvents.size() - 1);
        Map<String, Double> m = new LinkedHashMap<>(last.getMetrics());
        m.put("modelVersion", (double) last.getModelVersion());
        m.put("trainPairsSeen", (double) last.getSamplesSeen());
        if (last.getLoss() != null) {
            m.put("loss", last.getLoss());
        }
        return m;
    }

    private static PipelineStatus.TrainerStatus trainerStatus(String id, List<TrainerEvent> history, long lag) {
        if (history.isEmpty()) {
            return new PipelineStatus.TrainerStatus(id, -1, 0, Double.NaN, Map.of(), false, lag);
        }
        TrainerEvent last = history.get(history.size() - 1);
        Map<String, Double> validation = new LinkedHashMap<>();
        for (TrainerEvent e : history) {
            e.getMetrics().forEach((k, v) -> {
                if (k.startsWith("val.")) {
                    validation.put(k.substring(4), v);
                }
            });
        }
        boolean finished = history.stream().anyMatch(e -> e.getKind() == TrainerEventKind.FINISHED);
        return new PipelineStatus.TrainerStatus(id, last.getStep(), last.getSamplesSeen(),
                last.getLoss() == null ? Double.NaN : last.getLoss(), validation, finished, lag);
    }

    private List<TopicPartition> partitions(String topic) {
        try {
            List<PartitionInfo> infos = events.partitionsFor(topic, CALL_TIMEOUT);
            List<TopicPartition> out = new ArrayList<>();
            for (PartitionInfo p : infos == null ? List.<PartitionInfo>of() : infos) {
                out.add(new TopicPartition(p.topic(), p.partition()));
            }
            return out;
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    /** Sum of the topic's end offsets, or -1. */
    private long endOffset(String topic) {
        List<TopicPartition> partitions = partitions(topic);
        if (partitions.isEmpty()) {
            return -1;
        }
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, OffsetSpec.latest()));
        try {
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> result =
                    admin.listOffsets(request).all().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return result.values().stream().mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } catch (ExecutionException | TimeoutException e) {
            return -1;
        }
    }

    /** Sum of the group's committed offsets on the topic, or -1 when it committed none. */
    private long committed(String group, String topic) {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            long sum = 0;
            boolean any = false;
            for (Map.Entry<TopicPartition, OffsetAndMetadata> e : offsets.entrySet()) {
                if (e.getKey().topic().equals(topic) && e.getValue() != null) {
                    sum += e.getValue().offset();
                    any = true;
                }
            }
            return any ? sum : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } catch (ExecutionException | TimeoutException e) {
            return -1;
        }
    }

    @Override
    public synchronized void close() {
        events.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
    }
}
