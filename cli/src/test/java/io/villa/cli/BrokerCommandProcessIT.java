package io.villa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.villa.kafka.AvroKafkaDeserializer;
import io.villa.kafka.AvroKafkaSerializer;
import io.villa.kafka.KafkaSettings;
import io.villa.records.Image;
import io.villa.records.ImageFormat;
import io.villa.records.ImageReportPair;
import io.villa.records.Split;
import io.villa.schemas.Codecs;
import picocli.CommandLine;

/** {@code villa broker} in its own process; plain Kafka clients of this process use it; {@code villa tail} reads it. */
class BrokerCommandProcessIT {

    private static BrokerProcess broker;
    private static String bootstrap;

    @BeforeAll
    static void startBrokerProcess() throws Exception {
        broker = BrokerProcess.start("--port", "0", "--partitions", "2");
        bootstrap = broker.bootstrap();
    }

    @AfterAll
    static void stopBrokerProcess() throws Exception {
        String dataDir = broker.printed("data").replace(" (temporary)", "");
        try {
            broker.stop();
        } finally {
            broker.close();
        }
        assertThat(Path.of(dataDir))
                .as("the temporary data directory is removed on a clean stop")
                .doesNotExist();
    }

    @Test
    void plainKafkaClientsOfAnotherProcessProduceAndConsume() {
        KafkaSettings settings = KafkaSettings.of(bootstrap);
        ImageReportPair pair = pair("p-1");
        try (var producer = new KafkaProducer<>(
                settings.producerConfig(),
                new StringSerializer(),
                new AvroKafkaSerializer<>(Codecs.IMAGE_REPORT_PAIR))) {
            producer.send(new ProducerRecord<>("villa.image-report-pairs", pair.getPairId(), pair));
        }

        List<ImageReportPair> read = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(
                settings.consumerConfig("test-" + UUID.randomUUID()),
                new StringDeserializer(),
                new AvroKafkaDeserializer<>(Codecs.IMAGE_REPORT_PAIR))) {
            consumer.subscribe(List.of("villa.image-report-pairs"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (read.stream().noneMatch(p -> p.getPairId().equals("p-1")) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(300)).forEach(r -> read.add(r.value()));
            }
        }
        assertThat(read).contains(pair);
    }

    @Test
    void tailPrintsRecordsAsJsonWithoutImageBytesAndReportsBadOnes() {
        String topic = "villa.image-report-pairs";
        try (var producer = new KafkaProducer<>(
                KafkaSettings.of(bootstrap).producerConfig(), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, "t-1", Codecs.IMAGE_REPORT_PAIR.encode(pair("t-1"))));
            producer.send(new ProducerRecord<>(topic, "junk", "not a record".getBytes(StandardCharsets.UTF_8)));
            producer.send(new ProducerRecord<>(topic, "t-2", Codecs.IMAGE_REPORT_PAIR.encode(pair("t-2"))));
        }

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine villa = VillaCommand.commandLine();
        villa.setOut(new PrintWriter(out));
        villa.setErr(new PrintWriter(err));
        int exit = villa.execute("tail", topic, "--bootstrap", bootstrap, "--from-beginning", "--timeout", "3");

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("\"pairId\":\"t-1\"", "\"pairId\":\"t-2\"", "\"data\":{\"bytes\":300}");
        assertThat(out.toString()).doesNotContain("\\u");
        assertThat(err.toString()).contains("key junk: cannot decode as pairs:", "not Avro single-object encoded");
    }

    @Test
    void withADataDirectoryRecordsSurviveARestart(@TempDir Path dataDir) throws Exception {
        try (BrokerProcess first = BrokerProcess.start("--port", "0", "--data-dir", dataDir.toString())) {
            try (var producer = new KafkaProducer<>(
                    KafkaSettings.of(first.bootstrap()).producerConfig(),
                    new StringSerializer(),
                    new AvroKafkaSerializer<>(Codecs.IMAGE_REPORT_PAIR))) {
                producer.send(new ProducerRecord<>("villa.image-report-pairs", "kept-1", pair("kept-1")));
            }
            first.stop();
        }
        assertThat(dataDir.resolve("meta.properties"))
                .as("the given data directory is kept")
                .exists();

        try (BrokerProcess second = BrokerProcess.start("--port", "0", "--data-dir", dataDir.toString())) {
            StringWriter out = new StringWriter();
            CommandLine villa = VillaCommand.commandLine();
            villa.setOut(new PrintWriter(out));
            int exit = villa.execute(
                    "tail",
                    "villa.image-report-pairs",
                    "--bootstrap",
                    second.bootstrap(),
                    "--from-beginning",
                    "--max",
                    "1",
                    "--timeout",
                    "20");

            assertThat(exit).isZero();
            assertThat(out.toString()).contains("\"pairId\":\"kept-1\"");
            second.stop();
        }
    }

    private static ImageReportPair pair(String id) {
        byte[] png = new byte[300];
        java.util.Arrays.fill(png, (byte) 0x7f);
        return ImageReportPair.newBuilder()
                .setPairId(id)
                .setSource("test")
                .setSplit(Split.TRAIN)
                .setImage(new Image(ByteBuffer.wrap(png), ImageFormat.PNG, 84, 84))
                .setReport("the color is red")
                .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L))
                .build();
    }
}
