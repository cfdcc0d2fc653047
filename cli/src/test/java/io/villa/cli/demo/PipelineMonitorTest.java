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
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.villa.kafka.TopicNames;
import io.villa.kafka.embedded.EmbeddedKafkaExtension;
import io.villa.records.TrainerEvent;
import io.villa.records.TrainerEventKind;
import io.villa.schemas.Codecs;
import io.villa.trainer.service.TrainerRun;

/** The monitor against a real broker: offsets, group lag and events as a running pipeline leaves them. */
class PipelineMonitorTest {

    private static final TopicNames TOPICS = TopicNames.defaults();

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension(TOPICS, 1);

    @Test
    void showsCountsLagAndTheLatestEventsOfEachModel() throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KAFKA.broker().settings().producerConfig(),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 7; i++) {
                producer.send(new ProducerRecord<>(TOPICS.imageReportPairs(), new byte[] {(byte) i})).get();
            }
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(TOPICS.regionAttributePairs(), new byte[] {(byte) i})).get();
            }
            producer.send(new ProducerRecord<>(TOPICS.deadLetters(), new byte[] {1})).get();
            send(producer, event("villa-mapping", 100, null, Map.of("TRAIN.f1", 0.5)));
            send(producer, event("villa-mapping", 200, null, Map.of("TRAIN.f1", 0.8, "TEST.f1", 0.7)));
            send(producer, event("villa-vlm", 640, 2.5, Map.of("val.t2r.rprecision", 0.3)));
            send(producer, event("villa-vlm", 1280, 2.0, Map.of("val.t2r.rprecision", 0.4, "val.r2t.rprecision", 0.6)));
            send(producer, event("other-model", 10, 9.0, Map.of()));
            producer.send(new ProducerRecord<>(TOPICS.trainerEvents(), new byte[] {0, 1, 2})).get(); // not an event: skipped
        }
        commit("villa-decompose", TOPICS.imageReportPairs(), 4);
        commit(TrainerRun.consumerGroup("villa-vlm"), TOPICS.regionAttributePairs(), 2);

        try (PipelineMonitor monitor = new PipelineMonitor(KAFKA.broker().settings(), TOPICS, "villa-decompose", List.of("villa-vlm", "clip-vlm"))) {
            PipelineStatus status = monitor.poll();

            assertThat(status.pairsProduced()).isEqualTo(7);
            assertThat(status.pairsDecomposed()).isEqualTo(4);
            assertThat(status.decomposeLag()).isEqualTo(3);
            assertThat(status.regionOffsets()).isEqualTo(5);
            assertThat(status.deadLetters()).isEqualTo(1);
            assertThat(status.mapping()).containsEntry("TRAIN.f1", 0.8).containsEntry("TEST.f1", 0.7)
                    .containsEntry("trainPairsSeen", 200.0);
            PipelineStatus.TrainerStatus villa = status.trainers().get(0);
            assertThat(villa.modelId()).isEqualTo("villa-vlm");
            assertThat(villa.samplesSeen()).isEqualTo(1280);
            assertThat(villa.loss()).isEqualTo(2.0);
            assertThat(villa.validation()).containsEntry("t2r.rprecision", 0.4).containsEntry("r2t.rprecision", 0.6);
            assertThat(villa.lag()).isEqualTo(3);
            PipelineStatus.TrainerStatus clip = status.trainers().get(1);
            assertThat(clip.step()).as("no event from clip yet").isEqualTo(-1);
            assertThat(clip.lag()).as("no committed offsets").isEqualTo(-1);

            assertThat(monitor.mappingEvents()).hasSize(2);
            assertThat(monitor.trainerEvents("villa-vlm")).extracting(TrainerEvent::getSamplesSeen).containsExactly(640L, 1280L);

            List<String> lines = StatusView.render("header", status);
            assertThat(lines.get(0)).isEqualTo("header");
            assertThat(String.join("\n", lines)).contains("produced 7").contains("decomposed 4 (lag 3)").contains("train 0.800")
                    .contains("t2r R-P 0.400").contains("waiting for region-attribute pairs");
        }
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, TrainerEvent e) throws Exception {
        producer.send(new ProducerRecord<>(TOPICS.trainerEvents(), e.getModelId().toString().getBytes(),
                Codecs.TRAINER_EVENT.encode(e))).get();
    }

    private static TrainerEvent event(String model, long samples, Double loss, Map<String, Double> metrics) {
        return TrainerEvent.newBuilder().setModelId(model).setModelVersion(samples).setKind(TrainerEventKind.METRICS)
                .setStep(samples / 64).setSamplesSeen(samples).setLoss(loss).setMetrics(Map.copyOf(metrics))
                .setCheckpointLocation(null).setTime(Instant.now()).build();
    }

    private static void commit(String group, String topic, long offset) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(KAFKA.broker().settings().consumerConfig(group),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.commitSync(Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(offset)), Duration.ofSeconds(30));
        }
    }
}
