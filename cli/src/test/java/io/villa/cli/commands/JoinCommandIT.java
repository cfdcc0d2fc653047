package io.villa.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.villa.cli.VillaCommand;
import io.villa.kafka.KafkaClients;
import io.villa.kafka.TopicAdmin;
import io.villa.kafka.embedded.EmbeddedKafkaBroker;
import io.villa.records.Image;
import io.villa.records.ImageFormat;
import io.villa.records.ImageReportPair;
import io.villa.records.ReportStatus;
import io.villa.records.StudyImage;
import io.villa.records.StudyReport;
import io.villa.schemas.AvroCodec;
import io.villa.schemas.Codecs;

/** villa join --bounded against the embedded broker, in its local MiniCluster: one pair per image, read_committed. */
class JoinCommandIT {

    @Test
    void joinsTheStudiesInTheFeedTopics(@TempDir Path checkpoints) throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            List<String> topics = List.of("cmd.study-images", "cmd.study-reports", "cmd.pairs", "cmd.dead");
            try (TopicAdmin admin = new TopicAdmin(broker.settings())) {
                admin.createIfMissing(topics, 1, (short) 1);
            }
            try (KafkaProducer<String, StudyImage> images =
                            KafkaClients.producer(broker.settings(), AvroCodec.of(StudyImage.class));
                    KafkaProducer<String, StudyReport> reports =
                            KafkaClients.producer(broker.settings(), AvroCodec.of(StudyReport.class))) {
                for (int s = 0; s < 3; s++) {
                    String study = key("study" + s);
                    for (int i = 0; i < 2; i++) {
                        images.send(new ProducerRecord<>(
                                topics.get(0),
                                study,
                                StudyImage.newBuilder()
                                        .setStudyKey(study)
                                        .setInstanceKey(key("image" + s + "/" + i))
                                        .setSource("dicomweb")
                                        .setImage(
                                                new Image(ByteBuffer.wrap(new byte[] {1, 2, 3}), ImageFormat.PNG, 8, 8))
                                        .setEventTime(Instant.now())
                                        .build()));
                    }
                    reports.send(new ProducerRecord<>(
                            topics.get(1),
                            study,
                            StudyReport.newBuilder()
                                    .setStudyKey(study)
                                    .setMessageKey(key("message" + s))
                                    .setSource("hl7")
                                    .setStatus(ReportStatus.FINAL)
                                    .setReport("No acute findings.")
                                    .setEventTime(Instant.now())
                                    .build()));
                }
            }
            int exit = VillaCommand.commandLine()
                    .execute(
                            "join",
                            "--bootstrap",
                            broker.bootstrapServers(),
                            "--topic-study-images",
                            topics.get(0),
                            "--topic-study-reports",
                            topics.get(1),
                            "--topic-pairs",
                            topics.get(2),
                            "--topic-dead-letters",
                            topics.get(3),
                            "--bounded",
                            "--checkpoint-interval",
                            "1000",
                            "--checkpoint-dir",
                            checkpoints.toUri().toString(),
                            "--resume",
                            "none");
            assertThat(exit).isZero();

            List<String> ids = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> r : readCommitted(broker, topics.get(2))) {
                ImageReportPair pair = Codecs.IMAGE_REPORT_PAIR.decode(r.value());
                assertThat(r.key()).isEqualTo(pair.getPairId());
                assertThat(pair.getSource()).isEqualTo("hospital");
                ids.add(pair.getPairId());
            }
            assertThat(ids)
                    .hasSize(6)
                    .doesNotHaveDuplicates()
                    .allMatch(id -> id.matches("[0-9a-f]{16}/[0-9a-f]{16}/v1"));
        }
    }

    @Test
    void rocksDbLocallyIsRefusedWithTheReason() {
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine villa = VillaCommand.commandLine();
        villa.setErr(new java.io.PrintWriter(err));
        int exit = villa.execute("join", "--state-backend", "rocksdb", "--bounded");
        assertThat(exit).isNotZero();
        assertThat(err.toString()).contains("--state-backend rocksdb", "--flink-rest");
    }

    /** A pseudonym's shape (64 hex digits, spread like an HMAC's): SHA-256 of the name. */
    private static String key(String name) throws Exception {
        return java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                        .digest(name.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private static List<ConsumerRecord<String, byte[]>> readCommitted(EmbeddedKafkaBroker broker, String topic) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = KafkaClients.rawConsumer(broker.settings(), "join-reader")) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }
}
