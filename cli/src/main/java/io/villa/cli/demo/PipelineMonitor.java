package io.villa.cli.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.flink.annotation.VisibleForTesting;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.villa.flink.mapping.ModelVersion;
import io.villa.kafka.KafkaSettings;
import io.villa.kafka.TopicNames;
import io.villa.records.TrainerEvent;
import io.villa.records.TrainerEventKind;
import io.villa.schemas.Codecs;
import io.villa.schemas.RecordDecodingException;
import io.villa.trainer.device.MemoryUse;
import io.villa.trainer.service.TrainerRun;

/**
 * Watches a pipeline through Kafka alone, so the demo and a deployed system look the same: the records
 * committed to the topics, counted one by one ({@link TopicCounter}); the events the mapping model and
 * the trainers publish on the trainer-events topic; and, as lags only, the offsets the decomposition job's
 * and the trainers' consumer groups committed (they commit late, and may fail to). Keeps every event it
 * read, which is where the demo's curves come from. One thread at a time.
 */
public final class PipelineMonitor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineMonitor.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    /** Reading per poll: a backlog is read over several polls, so the view keeps refreshing. */
    private static final Duration READ_PER_POLL = Duration.ofMillis(800);

    private final Admin admin;
    private final TopicCounter counter;
    private final TopicNames topics;
    private final String decomposeGroup;
    private final List<String> trainerIds;
    private final List<TrainerEvent> mappingEvents = new ArrayList<>();
    private final Map<String, List<TrainerEvent>> trainerEvents = new LinkedHashMap<>();

    /**
     * @param decomposeGroup the decomposition job's consumer group (DecomposeOptions --group-id)
     * @param trainerIds     model ids of the trainers to show; their groups are TrainerRun.consumerGroup(id)
     */
    public PipelineMonitor(KafkaSettings kafka, TopicNames topics, String decomposeGroup, List<String> trainerIds) {
        this.admin = Admin.create(kafka.adminConfig());
        this.counter = new TopicCounter(kafka, topics, this::keep);
        this.topics = topics;
        this.decomposeGroup = decomposeGroup;
        this.trainerIds = List.copyOf(trainerIds);
        trainerIds.forEach(id -> trainerEvents.put(id, new ArrayList<>()));
    }

    /** Reads what was committed since the last poll (within a time budget) and the groups' lags. */
    public synchronized PipelineStatus poll() {
        counter.read(READ_PER_POLL);
        return status();
    }

    /**
     * Reads every record committed so far (up to {@code timeout}): the end state, once the pipeline stopped.
     * {@link PipelineCounts#readToEnd()} of the answer says whether it got there.
     */
    public synchronized PipelineStatus pollToEnd(Duration timeout) {
        counter.readToEnd(timeout);
        return status();
    }

    private PipelineStatus status() {
        long pairsEnd = endOffset(topics.imageReportPairs());
        long regionsEnd = endOffset(topics.regionAttributePairs());
        List<PipelineStatus.TrainerStatus> trainers = new ArrayList<>();
        for (String id : trainerIds) {
            trainers.add(trainerStatus(
                    id,
                    trainerEvents.get(id),
                    lag(regionsEnd, committed(TrainerRun.consumerGroup(id), topics.regionAttributePairs()))));
        }
        return new PipelineStatus(
                Instant.now(),
                counter.counts(),
                lag(pairsEnd, committed(decomposeGroup, topics.imageReportPairs())),
                mappingStatus(),
                trainers);
    }

    private static long lag(long end, long committed) {
        return end < 0 || committed < 0 ? -1 : Math.max(0, end - committed);
    }

    /** Every mapping quality event read so far, oldest first. */
    public synchronized List<TrainerEvent> mappingEvents() {
        return List.copyOf(mappingEvents);
    }

    /** Every event of this trainer read so far, oldest first. */
    public synchronized List<TrainerEvent> trainerEvents(String modelId) {
        return List.copyOf(trainerEvents.getOrDefault(modelId, List.of()));
    }

    private void keep(ConsumerRecord<byte[], byte[]> r) {
        TrainerEvent event;
        try {
            event = Codecs.TRAINER_EVENT.decode(r.value());
        } catch (RecordDecodingException e) {
            LOG.warn(
                    "skipping undecodable trainer event {}:{}@{}: {}",
                    r.topic(),
                    r.partition(),
                    r.offset(),
                    e.getMessage());
            return;
        }
        String id = event.getModelId();
        if (id.equals(ModelVersion.MODEL_ID)) {
            if (event.getKind()
                    == io.villa.records.TrainerEventKind.METRICS) { // not the learner's version announcements
                mappingEvents.add(event);
            }
        } else if (trainerEvents.containsKey(id)) {
            trainerEvents.get(id).add(event);
        }
    }

    private Map<String, Double> mappingStatus() {
        if (mappingEvents.isEmpty()) {
            return Map.of();
        }
        TrainerEvent last = mappingEvents.get(mappingEvents.size() - 1);
        // the job's per-split figures and the learner's held-out ones (HELDOUT.*) come in separate events: the newest
        // of each
        Map<String, Double> m = new LinkedHashMap<>();
        mappingEvents.forEach(e -> m.putAll(e.getMetrics()));
        m.put("modelVersion", (double) last.getModelVersion());
        m.put("trainPairsSeen", (double) last.getSamplesSeen());
        if (last.getLoss() != null) {
            m.put("loss", last.getLoss());
        }
        return m;
    }

    @VisibleForTesting
    static PipelineStatus.TrainerStatus trainerStatus(String id, List<TrainerEvent> history, long lag) {
        if (history.isEmpty()) {
            return new PipelineStatus.TrainerStatus(
                    id, -1, 0, Double.NaN, Map.of(), Map.of(), false, lag, null, MemoryUse.UNKNOWN);
        }
        TrainerEvent last = history.get(history.size() - 1);
        Map<String, Double> validation = new LinkedHashMap<>();
        Map<String, Long> evaluated = new TreeMap<>();
        for (TrainerEvent e : history) {
            e.getMetrics().forEach((k, v) -> {
                if (k.startsWith("val.")) {
                    validation.put(k.substring(4), v);
                }
            });
            // what the trainer says it ranked (RetrievalReport.metrics: "<prefix>regions")
            putCount(evaluated, "VAL", e.getMetrics().get("val.regions"));
            putCount(evaluated, "TEST", e.getMetrics().get("test.regions"));
        }
        validation.remove("regions");
        boolean finished = history.stream().anyMatch(e -> e.getKind() == TrainerEventKind.FINISHED);
        // the device and its memory as the newest event that says (events of older trainers do not)
        String device = null;
        MemoryUse memory = MemoryUse.UNKNOWN;
        for (TrainerEvent e : history) {
            if (e.getDevice() != null) {
                device = e.getDevice().toString();
                memory = MemoryUse.fromMetrics(e.getMetrics());
            }
        }
        return new PipelineStatus.TrainerStatus(
                id,
                last.getStep(),
                last.getSamplesSeen(),
                last.getLoss() == null ? Double.NaN : last.getLoss(),
                validation,
                evaluated,
                finished,
                lag,
                device,
                memory);
    }

    private static void putCount(Map<String, Long> counts, String split, Double value) {
        if (value != null && Double.isFinite(value)) {
            counts.put(split, value.longValue());
        }
    }

    private List<TopicPartition> partitions(String topic) {
        try {
            TopicDescription d = admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .get(topic);
            List<TopicPartition> out = new ArrayList<>();
            d.partitions().forEach(p -> out.add(new TopicPartition(topic, p.partition())));
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
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
            return result.values().stream()
                    .mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset)
                    .sum();
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
                    .partitionsToOffsetAndMetadata()
                    .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
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
        counter.close();
        admin.close(Duration.ofSeconds(5));
    }
}
