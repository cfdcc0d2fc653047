package io.villa.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.villa.records.RegionAttributePair;
import io.villa.records.Split;
import io.villa.records.TrainerEvent;
import io.villa.records.TrainerEventKind;
import io.villa.trainer.OracleStream;
import io.villa.trainer.TestKafka;
import io.villa.trainer.checkpoint.CheckpointState;
import io.villa.trainer.checkpoint.CheckpointStore;
import io.villa.trainer.config.LostOffsetPolicy;
import io.villa.trainer.config.TrainerConfig;

/** Faults around the trainer's Kafka feed, on the embedded broker with real DJL training. */
class TrainerKafkaFaultsIT {

    private static final int BATCH = 16;
    private static final TrainerConfig SETTINGS =
            TrainerConfig.builder().optBatchSize(BATCH).optDevice("cpu").build();

    @RegisterExtension
    static final TestKafka kafka = new TestKafka();

    private static ServiceConfig.Builder service(String topic) {
        return ServiceConfig.builder(topic)
                .optCheckpointing(1000, 2)
                .optEvalEvery(0)
                .optProgress(false)
                .optCpuThreads(2);
    }

    @Test
    void anErrorInTheFetchThreadEndsTheTrainerWithOneClearMessage(@TempDir Path dir) throws Exception {
        String topic = "fetch-error";
        kafka.createTopic(topic, 1);
        kafka.produceCommitted(OracleStream.kafkaRecords(topic, OracleStream.records(Split.TRAIN, 300, 8, 31)));
        AtomicInteger seen = new AtomicInteger();
        List<String> trained = Collections.synchronizedList(new ArrayList<>());
        // no idle stop: before the fix, the trainer waited forever on a dead fetch thread
        ServiceConfig service = service(topic).optStopAfter(0, 0).build();
        Throwable failure = assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
            try (KafkaRegionSource source = new KafkaRegionSource(kafka.settings(), topic, "test-fetch-error");
                    TrainingService trainer = new TrainingService(
                            SETTINGS,
                            service,
                            source,
                            new CheckpointStore(dir, 2),
                            TrainerEventSink.NONE,
                            letter -> {},
                            (step, loss, keys) -> trained.addAll(keys))) {
                trainer.beforeEachRecord(r -> {
                    if (seen.incrementAndGet() == 100) {
                        throw new OutOfMemoryError("injected by the test");
                    }
                });
                trainer.run();
                return null;
            } catch (Exception e) {
                return e;
            }
        });
        assertThat(failure)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("fetch thread failed")
                .hasMessageContaining("OutOfMemoryError: injected by the test")
                .hasMessageContaining(topic);
        assertThat(trained).hasSizeLessThan(100); // it stopped at the fault instead of reading on
    }

    @Test
    void checkpointOffsetsOutOfRetentionFailLoudlyOrAreSkippedWithTheGapPublished(@TempDir Path dir) throws Exception {
        String topic = "lost-offsets";
        kafka.createTopic(topic, 1);
        List<RegionAttributePair> records = OracleStream.records(Split.TRAIN, 400, 8, 32);
        kafka.produceCommitted(OracleStream.kafkaRecords(topic, records));
        assertThat(records.size()).isGreaterThan(150);

        // run 1: three steps, then a checkpoint on stop
        run(service(topic).optStopAfter(3, 0).build(), dir, TrainerEventSink.NONE, new ArrayList<>());
        CheckpointState first =
                new CheckpointStore(dir, 2).latest().orElseThrow().state();
        long checkpointed = first.offsets().get(topic + ":0");
        assertThat(checkpointed).isEqualTo(3 * BATCH);

        // retention takes the records up to offset 120: those from the checkpoint to 119 were never trained on
        try (Admin admin = Admin.create(kafka.clientConfig())) {
            admin.deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(120)))
                    .all()
                    .get();
        }

        // fail (the default): loud, naming partition, checkpoint offset and earliest offset
        assertThatThrownBy(() -> run(
                        service(topic).optStopAfter(0, 3000).build(), dir, TrainerEventSink.NONE, new ArrayList<>()))
                .isInstanceOf(OffsetGap.LostOffsetsException.class)
                .hasMessageContaining("partition " + topic + ":0")
                .hasMessageContaining("checkpoint offset " + checkpointed)
                .hasMessageContaining("earliest available offset 120")
                .hasMessageContaining("--on-lost-offsets skip");
        assertThat(new CheckpointStore(dir, 2).latest().orElseThrow().state().step())
                .isEqualTo(3);

        // skip: trains from 120 on, the gap published as a METRICS event
        List<TrainerEvent> events = Collections.synchronizedList(new ArrayList<>());
        List<String> trained = new ArrayList<>();
        run(
                service(topic)
                        .optStopAfter(0, 3000)
                        .optOnLostOffsets(LostOffsetPolicy.SKIP)
                        .build(),
                dir,
                events::add,
                trained);
        Set<String> kept = records.subList(120, records.size()).stream()
                .map(OracleStream::key)
                .collect(Collectors.toSet());
        assertThat(trained).doesNotHaveDuplicates();
        assertThat(kept).containsAll(trained);
        assertThat(trained.size()).isGreaterThanOrEqualTo(kept.size() - 1);
        TrainerEvent gap = events.stream()
                .filter(e -> e.getKind() == TrainerEventKind.METRICS
                        && e.getMetrics().containsKey("lostRecords"))
                .findFirst()
                .orElseThrow();
        assertThat(gap.getMetrics().get("lostRecords")).isEqualTo(120.0 - checkpointed);
        assertThat(gap.getMetrics().get("lostRecords." + topic + ":0")).isEqualTo(120.0 - checkpointed);
        CheckpointState end = new CheckpointStore(dir, 2).latest().orElseThrow().state();
        assertThat(end.samplesSeen()).isEqualTo(3 * BATCH + trained.size());
    }

    @Test
    void partitionsAddedWhileRunningAreReadFromTheirBeginningWithoutRestart(@TempDir Path dir) throws Exception {
        String topic = "grows";
        kafka.createTopic(topic, 1);
        List<RegionAttributePair> before = OracleStream.records(Split.TRAIN, 100, 8, 33);
        List<RegionAttributePair> added = OracleStream.records(Split.TRAIN, 100, 8, 34);
        kafka.produceCommitted(OracleStream.kafkaRecords(topic, before));
        Set<String> addedKeys = added.stream().map(OracleStream::key).collect(Collectors.toSet());
        List<String> trained = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<TrainingService> running = new AtomicReference<>();
        ServiceConfig service =
                service(topic).optStopAfter(0, 0).optPartitionRefreshMillis(500).build();
        CompletableFuture<TrainingService.Outcome> outcome = CompletableFuture.supplyAsync(() -> {
            try (KafkaRegionSource source = new KafkaRegionSource(kafka.settings(), topic, "test-grows", 500);
                    TrainingService trainer = new TrainingService(
                            SETTINGS,
                            service,
                            source,
                            new CheckpointStore(dir, 2),
                            TrainerEventSink.NONE,
                            letter -> {},
                            (step, loss, keys) -> trained.addAll(keys))) {
                running.set(trainer);
                return trainer.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        awaitTrained(trained, BATCH * 2, outcome);

        try (Admin admin = Admin.create(kafka.clientConfig())) {
            admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(2)))
                    .all()
                    .get();
        }
        List<ProducerRecord<byte[], byte[]>> toNew = OracleStream.kafkaRecords(topic, added).stream()
                .map(r -> new ProducerRecord<>(topic, 1, r.key(), r.value()))
                .toList();
        kafka.produceCommitted(toNew);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (trained.stream().filter(addedKeys::contains).count() < addedKeys.size() - BATCH
                && System.nanoTime() < deadline) {
            assertThat(outcome).isNotDone();
            Thread.sleep(200);
        }
        running.get().requestStop();
        outcome.get(60, TimeUnit.SECONDS);
        assertThat(trained.stream().filter(addedKeys::contains).count())
                .isGreaterThanOrEqualTo(addedKeys.size() - BATCH);
        CheckpointState end = new CheckpointStore(dir, 2).latest().orElseThrow().state();
        assertThat(end.offsets()).containsKey(topic + ":1");
        assertThat(end.offsets().get(topic + ":1")).isGreaterThan(0L);
    }

    private static void awaitTrained(List<String> trained, int atLeast, CompletableFuture<?> running) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (trained.size() < atLeast && System.nanoTime() < deadline) {
            if (running.isDone()) {
                running.get();
            }
            Thread.sleep(100);
        }
        assertThat(trained.size()).isGreaterThanOrEqualTo(atLeast);
    }

    private static TrainingService.Outcome run(
            ServiceConfig service, Path dir, TrainerEventSink events, List<String> trained) throws Exception {
        try (KafkaRegionSource source =
                        new KafkaRegionSource(kafka.settings(), service.topic(), "test-" + service.topic());
                TrainingService trainer = new TrainingService(
                        SETTINGS,
                        service,
                        source,
                        new CheckpointStore(dir, 2),
                        events,
                        letter -> {},
                        (step, loss, keys) -> trained.addAll(keys))) {
            return trainer.run();
        }
    }
}
