package io.villa.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.villa.kafka.TopicNames;
import io.villa.records.DeadLetter;
import io.villa.records.RegionAttributePair;
import io.villa.records.Split;
import io.villa.records.TrainerEvent;
import io.villa.records.TrainerEventKind;
import io.villa.schemas.Codecs;
import io.villa.trainer.OracleStream;
import io.villa.trainer.TestKafka;
import io.villa.trainer.checkpoint.CheckpointStore;
import io.villa.trainer.config.TrainerConfig;
import io.villa.trainer.config.TrainingMode;
import io.villa.trainer.device.MemoryUse;
import io.villa.trainer.eval.RetrievalReport;

/** DocMNIST (oracle regions) through a real embedded broker into real DJL training. */
class TrainerOverKafkaIT {

    @RegisterExtension
    static final TestKafka kafka = new TestKafka();

    @Test
    void learnsFromTheTopic_lossFalls_retrievalBeatsChance_checkpointsAnnounced_badRecordDeadLettered(@TempDir Path dir)
            throws Exception {
        TopicNames topics = kafka.topics("learn");
        String topic = topics.regionAttributePairs();
        kafka.createTopic(topic, 2);
        kafka.createTopic(topics.trainerEvents(), 1);
        kafka.createTopic(topics.deadLetters(), 1);
        List<RegionAttributePair> val = OracleStream.records(Split.VAL, 2000, 8, 2);
        List<RegionAttributePair> train = OracleStream.records(Split.TRAIN, 8000, 8, 1);
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>(OracleStream.kafkaRecords(topic, val));
        out.addAll(OracleStream.kafkaRecords(topic, train));
        out.add(new ProducerRecord<>(topic, 0, "bad".getBytes(), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}));
        kafka.produceCommitted(out);

        List<Float> losses = new ArrayList<>();
        List<String> trained = new ArrayList<>();
        TrainerConfig settings =
                TrainerConfig.builder().optBatchSize(32).optDevice("cpu").build();
        ServiceConfig service = ServiceConfig.builder(topic)
                .optCheckpointing(25, 2)
                .optEvalEvery(0)
                .optStopAfter(0, 4000)
                .optProgress(false)
                .optModelId("test-vlm")
                .optCpuThreads(2)
                .build();
        TrainingService.Outcome outcome;
        try (KafkaRegionSource source = new KafkaRegionSource(kafka.settings(), topic, "test-trainer");
                KafkaSinks sinks = new KafkaSinks(kafka.settings(), topics);
                TrainingService trainer = new TrainingService(
                        settings, service, source, new CheckpointStore(dir, 2), sinks, sinks, (step, loss, keys) -> {
                            losses.add(loss);
                            trained.addAll(keys);
                        })) {
            outcome = trainer.run();
        }

        // every training record once, nothing held out
        Set<String> trainKeys = train.stream().map(OracleStream::key).collect(Collectors.toSet());
        assertThat(new HashSet<>(trained)).hasSameSizeAs(trained);
        assertThat(trainKeys).containsAll(trained);
        assertThat(trained.size()).isGreaterThanOrEqualTo(trainKeys.size() - 1);

        // loss falls
        double first = losses.subList(0, 5).stream()
                .mapToDouble(Float::doubleValue)
                .average()
                .orElseThrow();
        double last = losses.subList(losses.size() - 5, losses.size()).stream()
                .mapToDouble(Float::doubleValue)
                .average()
                .orElseThrow();
        System.out.printf("steps %d, loss %.3f -> %.3f%n", outcome.step(), first, last);
        assertThat(last).isLessThan(first * 0.8);

        // retrieval above chance in both directions
        RetrievalReport report = outcome.validation().orElseThrow();
        System.out.println(report.table());
        assertThat(report.regions())
                .isEqualTo(val.stream().filter(r -> !r.getWholeImage()).count());
        assertThat(report.get(RetrievalReport.T2R_RPREC)).isGreaterThan(report.get(RetrievalReport.T2R_CHANCE) + 0.1);
        assertThat(report.get(RetrievalReport.R2T_RPREC)).isGreaterThan(report.get(RetrievalReport.R2T_CHANCE) + 0.1);

        // checkpoints announced, with their locations on disk
        List<TrainerEvent> events = kafka.readAll(topics.trainerEvents(), 3, Duration.ofSeconds(20)).stream()
                .map(r -> Codecs.TRAINER_EVENT.decode(r.value()))
                .toList();
        List<TrainerEvent> checkpoints = events.stream()
                .filter(e -> e.getKind() == TrainerEventKind.CHECKPOINT)
                .toList();
        assertThat(checkpoints).isNotEmpty();
        assertThat(checkpoints).extracting(TrainerEvent::getStep).contains(25L, outcome.step());
        assertThat(Path.of(checkpoints
                        .get(checkpoints.size() - 1)
                        .getCheckpointLocation()
                        .toString()))
                .isDirectory();
        assertThat(events)
                .anyMatch(e -> e.getKind() == TrainerEventKind.FINISHED
                        && e.getModelId().toString().equals("test-vlm"));
        assertThat(Files.exists(outcome.lastCheckpoint().resolve(CheckpointStore.STATE_FILE)))
                .isTrue();
        // issue 16: every event names the device and its memory (here the CPU: the process's resident set)
        assertThat(events).allSatisfy(e -> {
            assertThat(e.getDevice()).isEqualTo("cpu()");
            MemoryUse memory = MemoryUse.fromMetrics(e.getMetrics());
            assertThat(memory.usedBytes()).isPositive();
            assertThat(memory.peakBytes()).isGreaterThanOrEqualTo(memory.usedBytes());
        });

        // the bad record went to the dead-letter topic with where it came from and why
        List<ConsumerRecord<byte[], byte[]>> dead = kafka.readAll(topics.deadLetters(), 1, Duration.ofSeconds(20));
        assertThat(dead).hasSize(1);
        DeadLetter letter = Codecs.DEAD_LETTER.decode(dead.get(0).value());
        assertThat(letter.getSourceTopic().toString()).isEqualTo(topic);
        assertThat(letter.getStage().toString()).isEqualTo("trainer.decode");
        assertThat(letter.getErrorMessage().toString()).isNotBlank();
    }

    @Test
    void clipModeTrainsOnWholeImagesOnly(@TempDir Path dir) throws Exception {
        TopicNames topics = kafka.topics("clip");
        String topic = topics.regionAttributePairs();
        kafka.createTopic(topic, 1);
        List<RegionAttributePair> train = OracleStream.records(Split.TRAIN, 1200, 8, 5);
        kafka.produceCommitted(OracleStream.kafkaRecords(topic, train));
        List<String> trained = new ArrayList<>();
        TrainerConfig settings = TrainerConfig.builder()
                .optBatchSize(16)
                .optDevice("cpu")
                .optMode(TrainingMode.CLIP)
                .build();
        ServiceConfig service = ServiceConfig.builder(topic)
                .optCheckpointing(1000, 1)
                .optEvalEvery(0)
                .optStopAfter(0, 3000)
                .optProgress(false)
                .optCpuThreads(2)
                .build();
        try (KafkaRegionSource source = new KafkaRegionSource(kafka.settings(), topic, "test-clip");
                KafkaSinks sinks = new KafkaSinks(kafka.settings(), topics);
                TrainingService trainer = new TrainingService(
                        settings,
                        service,
                        source,
                        new CheckpointStore(dir, 1),
                        sinks,
                        sinks,
                        (step, loss, keys) -> trained.addAll(keys))) {
            trainer.run();
        }
        Set<String> wholeImages = train.stream()
                .filter(RegionAttributePair::getWholeImage)
                .map(OracleStream::key)
                .collect(Collectors.toSet());
        assertThat(trained).isNotEmpty().allMatch(wholeImages::contains);
        assertThat(trained.size()).isGreaterThanOrEqualTo(wholeImages.size() - 1);
    }
}
