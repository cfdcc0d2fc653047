package io.villa.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.villa.cli.VillaCommand;
import io.villa.kafka.AvroKafkaSerializer;
import io.villa.kafka.embedded.EmbeddedKafkaBroker;
import io.villa.producers.docmnist.DocMnistConfig;
import io.villa.producers.docmnist.DocMnistGenerator;
import io.villa.producers.mnist.MnistDigits;
import io.villa.records.ImageReportPair;
import io.villa.records.RegionAttributePair;
import io.villa.records.Split;
import io.villa.schemas.Codecs;
import io.villa.trainer.oracle.OracleDecomposition;

/** villa train against the embedded broker: trains from the topic, checkpoints, ends pass 1 when the topic is idle, replays it once. */
class TrainCommandIT {

    @Test
    void trainsFromTheTopicAndCheckpoints(@TempDir Path dir) throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            String topic = "regions-train-command";
            DocMnistGenerator generator = new DocMnistGenerator(
                    MnistDigits.fromDefaultCache(),
                    DocMnistConfig.builder().optBudgets(600, 200, 0).build());
            try (KafkaProducer<String, RegionAttributePair> producer = new KafkaProducer<>(
                    broker.settings().producerConfig(),
                    new StringSerializer(),
                    new AvroKafkaSerializer<>(Codecs.REGION_ATTRIBUTE_PAIR))) {
                for (Split split : List.of(Split.TRAIN, Split.VAL)) {
                    for (Iterator<ImageReportPair> it = generator.records(split); it.hasNext(); ) {
                        for (RegionAttributePair r : OracleDecomposition.decompose(it.next())) {
                            producer.send(new ProducerRecord<>(topic, r.getPairId(), r));
                        }
                    }
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PrintStream original = System.out;
            int exit;
            try {
                System.setOut(new PrintStream(out, true));
                exit = VillaCommand.commandLine()
                        .execute(
                                "train",
                                "--bootstrap",
                                broker.bootstrapServers(),
                                "--topic-regions",
                                topic,
                                "--checkpoint-dir",
                                dir.toString(),
                                "--checkpoint-every",
                                "5",
                                "--batch-size",
                                "16",
                                "--idle-stop",
                                "3",
                                "--passes",
                                "2",
                                "--device",
                                "cpu",
                                "--threads",
                                "2",
                                "--no-progress");
            } finally {
                System.setOut(original);
            }
            assertThat(exit).as(out.toString()).isZero();
            assertThat(out.toString())
                    .contains("trained to step")
                    .contains("2 of 2 passes")
                    .contains("validation:")
                    .contains("MACRO");
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("ckpt-"));
            }
        }
    }
}
