package io.villa.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.villa.records.RegionAttributePair;
import io.villa.records.Split;
import io.villa.trainer.OracleStream;
import io.villa.trainer.TestKafka;
import io.villa.trainer.checkpoint.CheckpointState;
import io.villa.trainer.checkpoint.CheckpointStore;
import io.villa.trainer.config.PassPlan;
import io.villa.trainer.config.TrainerConfig;

/**
 * Passes over a bounded topic: pass 1 ends when the topic is idle; the same records are replayed each pass, each
 * training record once per pass, also across a crash in the middle of a replayed pass; early stopping ends the passes
 * and the final evaluation uses the best pass's checkpoint.
 */
class PassesOverKafkaIT {

    private static final int BATCH = 16;
    private static final TrainerConfig SETTINGS =
            TrainerConfig.builder().optBatchSize(BATCH).optDevice("cpu").build();

    @RegisterExtension
    static final TestKafka kafka = new TestKafka();

    private record Trained(long step, String key) {}

    private static List<RegionAttributePair> publish(String topic, long seed) throws Exception {
        kafka.createTopic(topic, 1);
        List<RegionAttributePair> train =
                OracleStream.withoutLoneLast(OracleStream.records(Split.TRAIN, 500, 8, seed), BATCH);
        List<RegionAttributePair> all = new ArrayList<>(OracleStream.records(Split.VAL, 300, 8, seed + 1));
        all.addAll(train);
        kafka.produceCommitted(OracleStream.kafkaRecords(topic, all));
        return train;
    }

    @Test
    void everyPassTrainsEveryRecordOnceAlsoAcrossACrashInAReplayedPass(@TempDir Path dir) throws Exception {
        List<RegionAttributePair> train = publish("passes-crash", 41);
        Set<String> trainKeys = train.stream().map(OracleStream::key).collect(Collectors.toSet());
        int stepsPerPass = (train.size() + BATCH - 2) / BATCH; // the last batch may be partial (never a lone example)
        int killAt = stepsPerPass + stepsPerPass / 2 + 1; // in the middle of pass 2
        ServiceConfig service = ServiceConfig.builder("passes-crash")
                .optCheckpointing(4, 3)
                .optEvalEvery(0)
                .optStopAfter(0, 1500)
                .optProgress(false)
                .optCpuThreads(2)
                .optPasses(new PassPlan(3, 5))
                .build();

        List<Trained> run1 = new ArrayList<>();
        AtomicReference<TrainingService> running = new AtomicReference<>();
        run(
                service,
                dir,
                (step, loss, keys) -> {
                    keys.forEach(k -> run1.add(new Trained(step, k)));
                    if (step == killAt) {
                        running.get().abort();
                    }
                },
                running);
        CheckpointState resumedFrom =
                new CheckpointStore(dir, 3).latest().orElseThrow().state();
        assertThat(resumedFrom.passes().pass()).isEqualTo(2);
        assertThat(resumedFrom.step()).isLessThan(killAt);

        List<Trained> run2 = new ArrayList<>();
        TrainingService.Outcome outcome = run(
                service,
                dir,
                (step, loss, keys) -> keys.forEach(k -> run2.add(new Trained(step, k))),
                new AtomicReference<>());

        List<String> history = new ArrayList<>();
        run1.stream().filter(t -> t.step() <= resumedFrom.step()).forEach(t -> history.add(t.key()));
        run2.forEach(t -> history.add(t.key()));
        Map<String, Long> counts =
                history.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(counts.keySet()).isEqualTo(trainKeys);
        assertThat(counts.values()).as("three passes, each record once a pass").allMatch(c -> c == 3);
        assertThat(outcome.step()).isEqualTo(3L * stepsPerPass);
        assertThat(outcome.passes()).isEqualTo(3);
        assertThat(outcome.bestPass()).isBetween(1, 3);
        assertThat(outcome.validation()).isPresent();

        // finished: a restart trains nothing more and ends where the data ends
        CheckpointState end = new CheckpointStore(dir, 3).latest().orElseThrow().state();
        assertThat(end.passes().finished()).isTrue();
        assertThat(end.offsets()).isEqualTo(end.passes().end());
        List<String> run3 = new ArrayList<>();
        TrainingService.Outcome again =
                run(service, dir, (step, loss, keys) -> run3.addAll(keys), new AtomicReference<>());
        assertThat(run3).isEmpty();
        assertThat(again.step()).isEqualTo(outcome.step());
    }

    @Test
    void earlyStoppingEndsThePassesAndTheBestPassIsKept(@TempDir Path dir) throws Exception {
        List<RegionAttributePair> train = publish("passes-early", 43);
        ServiceConfig service = ServiceConfig.builder("passes-early")
                .optCheckpointing(1000, 1)
                .optEvalEvery(0)
                .optStopAfter(0, 1500)
                .optProgress(false)
                .optCpuThreads(2)
                .optPasses(new PassPlan(6, 1))
                .build();
        List<String> trained = new ArrayList<>();
        TrainingService.Outcome outcome =
                run(service, dir, (step, loss, keys) -> trained.addAll(keys), new AtomicReference<>());

        // patience 1: it stops at the first pass that brings no new best, or runs all six
        if (outcome.stoppedEarly()) {
            assertThat(outcome.passes()).isEqualTo(outcome.bestPass() + 1).isLessThan(6);
        } else {
            assertThat(outcome.passes()).isEqualTo(6);
        }
        Map<String, Long> counts =
                trained.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(counts.values()).allMatch(c -> c == outcome.passes());
        assertThat(counts).hasSize(train.size());

        CheckpointStore store = new CheckpointStore(dir, 1);
        CheckpointState best = CheckpointStore.readState(store.best().orElseThrow());
        assertThat(best.passes().early().bestPass()).isEqualTo(outcome.bestPass());
        assertThat(best.metrics().get("val.t2r.rprecision"))
                .isEqualTo(
                        outcome.validation().orElseThrow().get("t2r.rprecision")); // scored with the best pass's model
    }

    private static TrainingService.Outcome run(
            ServiceConfig service, Path dir, TrainingListener listener, AtomicReference<TrainingService> ref)
            throws Exception {
        try (KafkaRegionSource source =
                        new KafkaRegionSource(kafka.settings(), service.topic(), "test-" + service.topic());
                TrainingService trainer = new TrainingService(
                        SETTINGS,
                        service,
                        source,
                        new CheckpointStore(dir, 3),
                        TrainerEventSink.NONE,
                        letter -> {},
                        listener)) {
            ref.set(trainer);
            return trainer.run();
        }
    }
}
