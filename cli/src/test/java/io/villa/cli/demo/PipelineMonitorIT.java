package io.villa.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.villa.kafka.TopicNames;
import io.villa.kafka.embedded.EmbeddedKafkaExtension;
import io.villa.records.Split;
import io.villa.records.TrainerEvent;
import io.villa.records.TrainerEventKind;
import io.villa.schemas.Codecs;
import io.villa.trainer.service.TrainerRun;

/**
 * The monitor against a real broker: counts from the records committed to the topics (not from consumer-group
 * offsets, which only give lags), and the latest events of each model.
 */
class PipelineMonitorIT {

    private static final TopicNames TOPICS = TopicNames.defaults();

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension(TOPICS, 1);

    @Test
    void countsWhatWasCommittedShowsGroupOffsetsAsLagAndTheLatestEventsOfEachModel() throws Exception {
        try (KafkaProducer<byte[], byte[]> producer =
                PipelineRecords.producer(KAFKA.broker().settings())) {
            for (int i = 0; i < 7; i++) {
                producer.send(PipelineRecords.pair(
                                TOPICS.imageReportPairs(), "p" + i, i < 5 ? Split.TRAIN : Split.TEST))
                        .get();
            }
            for (int i = 0; i < 6; i++) {
                producer.send(PipelineRecords.wholeImage(
                                TOPICS.regionAttributePairs(), "p" + i, i < 5 ? Split.TRAIN : Split.TEST))
                        .get();
            }
            producer.send(PipelineRecords.region(TOPICS.regionAttributePairs(), "p5", 0, Split.TEST, List.of("round")))
                    .get();
            producer.send(PipelineRecords.rejected(
                            TOPICS.deadLetters(), "decompose.validate", TOPICS.imageReportPairs(), 6, "p6"))
                    .get();
            send(producer, event("villa-mapping", 100, null, Map.of("TRAIN.f1", 0.5)));
            send(
                    producer,
                    event(
                            "villa-mapping",
                            150,
                            null,
                            Map.of("HELDOUT.f1", 0.9, "HELDOUT.images", 256.0))); // the learner's
            send(producer, event("villa-mapping", 200, null, Map.of("TRAIN.f1", 0.8, "TEST.f1", 0.7)));
            send(producer, event("villa-vlm", 640, 2.5, Map.of("val.t2r.rprecision", 0.3, "val.regions", 40.0)));
            send(
                    producer,
                    event(
                            "villa-vlm",
                            1280,
                            2.0,
                            Map.of("val.t2r.rprecision", 0.4, "val.r2t.rprecision", 0.6, "val.regions", 52.0)));
            send(producer, event("other-model", 10, 9.0, Map.of()));
            producer.send(new ProducerRecord<>(TOPICS.trainerEvents(), new byte[] {0, 1, 2}))
                    .get(); // not an event: skipped
        }
        // the groups' commits lag behind (or failed): they must not be taken for counts
        commit("villa-decompose", TOPICS.imageReportPairs(), 4);
        commit(TrainerRun.consumerGroup("villa-vlm"), TOPICS.regionAttributePairs(), 2);

        try (PipelineMonitor monitor = new PipelineMonitor(
                KAFKA.broker().settings(), TOPICS, "villa-decompose", List.of("villa-vlm", "clip-vlm"))) {
            PipelineStatus status = monitor.pollToEnd(Duration.ofSeconds(30));

            PipelineCounts c = status.counts();
            assertThat(c.readToEnd()).isTrue();
            assertThat(c.pairs())
                    .as("all 7 pairs have their outcome, though the job's group committed 4")
                    .isEqualTo(new PipelineCounts.Pairs(7, 6, 1, 0, 0));
            assertThat(c.split("TEST").pairs().decomposed()).isEqualTo(1);
            assertThat(c.regionRecords()).isEqualTo(1);
            assertThat(c.deadLettersByStage()).containsExactly(Map.entry("decompose.validate", 1L));
            assertThat(status.decomposeOffsetLag()).isEqualTo(3);
            assertThat(status.mapping())
                    .containsEntry("TRAIN.f1", 0.8)
                    .containsEntry("TEST.f1", 0.7)
                    .containsEntry("trainPairsSeen", 200.0)
                    .as("the newest held-out figure, from its own event")
                    .containsEntry("HELDOUT.f1", 0.9);
            assertThat(StatusView.render("h", status)).anyMatch(l -> l.contains("held-out 0.900 on 256 val pairs"));
            PipelineStatus.TrainerStatus villa = status.trainers().get(0);
            assertThat(villa.modelId()).isEqualTo("villa-vlm");
            assertThat(villa.samplesSeen()).isEqualTo(1280);
            assertThat(villa.loss()).isEqualTo(2.0);
            assertThat(villa.validation())
                    .containsEntry("t2r.rprecision", 0.4)
                    .containsEntry("r2t.rprecision", 0.6)
                    .doesNotContainKey("regions");
            assertThat(villa.evaluatedRegions())
                    .as("what the trainer reported last")
                    .containsExactly(Map.entry("VAL", 52L));
            assertThat(villa.offsetLag()).isEqualTo(5);
            PipelineStatus.TrainerStatus clip = status.trainers().get(1);
            assertThat(clip.step()).as("no event from clip yet").isEqualTo(-1);
            assertThat(clip.offsetLag()).as("no committed offsets").isEqualTo(-1);

            assertThat(monitor.mappingEvents()).hasSize(3);
            assertThat(monitor.trainerEvents("villa-vlm"))
                    .extracting(TrainerEvent::getSamplesSeen)
                    .containsExactly(640L, 1280L);

            List<String> lines = StatusView.render("header", status);
            assertThat(lines.get(0)).isEqualTo("header");
            assertThat(String.join("\n", lines))
                    .contains("produced 7 | decomposed 6 (train 5, test 1) | dead-lettered 1 | in flight 0")
                    .contains("job offset lag 3")
                    .contains("decompose.validate 1")
                    .contains("train 0.800")
                    .contains("t2r R-P 0.400, r2t R-P 0.600 on 52 regions")
                    .contains("waiting for region-attribute pairs")
                    .doesNotContain("counting");

            // read on: a poll reads only what is new, so nothing is counted twice
            try (KafkaProducer<byte[], byte[]> producer =
                    PipelineRecords.producer(KAFKA.broker().settings())) {
                producer.send(PipelineRecords.pair(TOPICS.imageReportPairs(), "p7", Split.VAL))
                        .get();
            }
            PipelineCounts next = monitor.pollToEnd(Duration.ofSeconds(30)).counts();
            assertThat(next.pairs()).isEqualTo(new PipelineCounts.Pairs(8, 6, 1, 1, 0));
            assertThat(StatusView.render("h", monitor.poll())).anyMatch(l -> l.contains("in flight 1"));
        }
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, TrainerEvent e) throws Exception {
        producer.send(new ProducerRecord<>(
                        TOPICS.trainerEvents(), e.getModelId().toString().getBytes(), Codecs.TRAINER_EVENT.encode(e)))
                .get();
    }

    private static TrainerEvent event(String model, long samples, Double loss, Map<String, Double> metrics) {
        return TrainerEvent.newBuilder()
                .setModelId(model)
                .setModelVersion(samples)
                .setKind(TrainerEventKind.METRICS)
                .setStep(samples / 64)
                .setSamplesSeen(samples)
                .setLoss(loss)
                .setMetrics(Map.copyOf(metrics))
                .setCheckpointLocation(null)
                .setTime(Instant.now())
                .build();
    }

    private static void commit(String group, String topic, long offset) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                KAFKA.broker().settings().consumerConfig(group),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.commitSync(
                    Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(offset)), Duration.ofSeconds(30));
        }
    }
}
