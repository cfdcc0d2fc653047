package io.villa.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.villa.records.RegionAttributePair;
import io.villa.records.Split;
import io.villa.trainer.OracleStream;
import io.villa.trainer.TestKafka;
import io.villa.trainer.checkpoint.CheckpointState;
import io.villa.trainer.checkpoint.CheckpointStore;
import io.villa.trainer.config.TrainerConfig;

/**
 * Kills the trainer between checkpoints and resumes it: from the checkpointed offsets and a count of
 * what each step trained, every training record is trained exactly once in the model's history.
 */
class TrainerRestartIT {

    private static final int BATCH = 32;
    private static final int CHECKPOINT_EVERY = 10;
    private static final int KILL_AT_STEP = 25;

    @RegisterExtension
    static final TestKafka kafka = new TestKafka();

    private record Trained(long step, String key) {}

    @Test
    void restartNeitherSkipsNorRepeats(@TempDir Path dir) throws Exception {
        String topic = "rap-restart";
        kafka.createTopic(topic, 2);
        // pairs interleaved two by two: a checkpoint often falls while one pair waits for its whole image and the next
        // is
        // complete behind it; neither may be skipped or repeated
        List<RegionAttributePair> train = OracleStream.withoutLoneLast(
                OracleStream.interleavedPairs(OracleStream.records(Split.TRAIN, 4000, 8, 11)), BATCH);
        List<RegionAttributePair> val = OracleStream.records(Split.VAL, 600, 8, 12);
        List<RegionAttributePair> all = new ArrayList<>(train);
        all.addAll(val);
        kafka.produceCommitted(OracleStream.kafkaRecords(topic, all));
        assertThat(train.size()).isGreaterThan(BATCH * (KILL_AT_STEP + 5));

        TrainerConfig settings =
                TrainerConfig.builder().optBatchSize(BATCH).optDevice("cpu").build();
        ServiceConfig service = ServiceConfig.builder(topic)
                .optCheckpointing(CHECKPOINT_EVERY, 3)
                .optEvalEvery(0)
                .optStopAfter(0, 3000)
                .optProgress(false)
                .optCpuThreads(2)
                .build();

        // run 1: killed at step 25, five steps after its last checkpoint (step 20)
        List<Trained> run1 = new ArrayList<>();
        AtomicReference<TrainingService> running = new AtomicReference<>();
        TrainingService.Outcome killed = run(
                settings,
                service,
                dir,
                (step, loss, keys) -> {
                    keys.forEach(k -> run1.add(new Trained(step, k)));
                    if (step == KILL_AT_STEP) {
                        running.get().abort();
                    }
                },
                running);
        assertThat(killed.step()).isEqualTo(KILL_AT_STEP);
        CheckpointStore.Saved checkpoint = new CheckpointStore(dir, 3).latest().orElseThrow();
        assertThat(checkpoint.state().step()).isEqualTo(20);

        // run 2: resumes from step 20's checkpoint
        List<Trained> run2 = new ArrayList<>();
        TrainingService.Outcome resumed = run(
                settings,
                service,
                dir,
                (step, loss, keys) -> keys.forEach(k -> run2.add(new Trained(step, k))),
                new AtomicReference<>());
        assertThat(run2.get(0).step()).isEqualTo(21);

        // the model's history: run 1 up to its checkpoint, then run 2
        List<String> history = new ArrayList<>();
        run1.stream().filter(t -> t.step() <= 20).forEach(t -> history.add(t.key()));
        run2.forEach(t -> history.add(t.key()));
        Map<String, Long> counts =
                history.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        Set<String> trainKeys = train.stream().map(OracleStream::key).collect(Collectors.toSet());
        assertThat(counts.keySet()).isEqualTo(trainKeys); // nothing skipped, nothing held out trained
        assertThat(counts.values()).allMatch(c -> c == 1); // nothing repeated
        assertThat(run1.stream().filter(t -> t.step() > 20).map(Trained::key).toList())
                .isNotEmpty()
                .allMatch(k -> run2.stream().anyMatch(t -> t.key().equals(k))); // lost steps redone

        // the final checkpoint agrees: samples = records trained, offsets = end of every partition
        CheckpointState end = new CheckpointStore(dir, 3).latest().orElseThrow().state();
        assertThat(end.step()).isEqualTo(resumed.step());
        assertThat(end.samplesSeen()).isEqualTo(trainKeys.size());
        assertThat(end.offsets()).isEqualTo(endOffsets(topic));

        // run 3: nothing new arrived, so nothing is trained again
        List<String> run3 = new ArrayList<>();
        TrainingService.Outcome again =
                run(settings, service, dir, (step, loss, keys) -> run3.addAll(keys), new AtomicReference<>());
        assertThat(run3).isEmpty();
        assertThat(again.step()).isEqualTo(resumed.step());
        assertThat(again.validation()).isPresent(); // held-out set rebuilt from before the checkpoint
    }

    private static TrainingService.Outcome run(
            TrainerConfig settings,
            ServiceConfig service,
            Path dir,
            TrainingListener listener,
            AtomicReference<TrainingService> ref)
            throws Exception {
        try (KafkaRegionSource source = new KafkaRegionSource(kafka.settings(), service.topic(), "test-restart");
                TrainingService trainer = new TrainingService(
                        settings,
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

    private static Map<String, Long> endOffsets(String topic) {
        var p = kafka.clientConfig();
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> tps = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition()))
                    .toList();
            Map<String, Long> out = new HashMap<>();
            c.endOffsets(tps).forEach((tp, o) -> out.put(KafkaRegionSource.key(tp), o));
            return out;
        }
    }
}
