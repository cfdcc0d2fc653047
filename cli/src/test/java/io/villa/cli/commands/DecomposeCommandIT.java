package io.villa.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.villa.cli.VillaCommand;
import io.villa.flink.DecomposeJob;
import io.villa.kafka.KafkaClients;
import io.villa.kafka.TopicNames;
import io.villa.kafka.embedded.EmbeddedKafkaBroker;
import io.villa.producers.docmnist.DocMnistConfig;
import io.villa.producers.docmnist.DocMnistGenerator;
import io.villa.producers.mnist.MnistDigits;
import io.villa.records.ImageReportPair;
import io.villa.records.RegionAttributePair;
import io.villa.records.Split;
import io.villa.schemas.Codecs;

/**
 * villa decompose --bounded against the embedded broker, in its local MiniCluster and submitted to a Flink cluster's REST
 * endpoint: every pair on the topic decomposed once (read_committed).
 */
class DecomposeCommandIT {

    @Test
    void decomposesEveryPairOnTheTopicInALocalMiniCluster(@TempDir Path checkpoints) throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            decomposeAndCheck(broker, "local", checkpoints);
        }
    }

    /** --flink-rest: the job is submitted with its jar to a Flink cluster's REST endpoint (here a MiniCluster's). */
    @Test
    void submitsTheJobToAFlinkClusterThroughItsRestEndpoint(@TempDir Path checkpoints) throws Exception {
        MiniClusterConfiguration cluster = RestMiniCluster.configuration();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
                MiniCluster flink = new MiniCluster(cluster)) {
            flink.start();
            URI rest = flink.getRestAddress().get();
            // the flink-jobs jar on this class path stands in for the shaded job jar
            Path jobJar = Path.of(DecomposeJob.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            decomposeAndCheck(
                    broker,
                    "remote",
                    checkpoints,
                    "--flink-rest",
                    rest.getHost() + ":" + rest.getPort(),
                    "--job-jar",
                    jobJar.toString());
            // it ran on that cluster, not in a local one
            assertThat(flink.listJobs().get())
                    .singleElement()
                    .satisfies(job -> assertThat(job.getJobState()).isEqualTo(JobStatus.FINISHED));
        }
    }

    private static void decomposeAndCheck(EmbeddedKafkaBroker broker, String name, Path checkpoints, String... extra)
            throws Exception {
        TopicNames topics = new TopicNames(name + ".pairs", name + ".regions", name + ".dead", name + ".events");
        broker.createTopics(topics, 1);
        DocMnistGenerator generator = new DocMnistGenerator(
                MnistDigits.fromDefaultCache(),
                DocMnistConfig.builder().optSeed(5).build());
        Set<String> ids = new HashSet<>();
        try (KafkaProducer<String, ImageReportPair> producer =
                KafkaClients.producer(broker.settings(), Codecs.IMAGE_REPORT_PAIR)) {
            Iterator<ImageReportPair> it = generator.records(Split.TRAIN);
            for (int i = 0; i < 30; i++) {
                ImageReportPair pair = it.next();
                ids.add(pair.getPairId());
                producer.send(new ProducerRecord<>(topics.imageReportPairs(), pair.getPairId(), pair));
            }
        }

        List<String> args = new ArrayList<>(List.of(
                "decompose",
                "--bootstrap",
                broker.bootstrapServers(),
                "--topic-pairs",
                topics.imageReportPairs(),
                "--topic-regions",
                topics.regionAttributePairs(),
                "--topic-dead-letters",
                topics.deadLetters(),
                "--topic-trainer-events",
                topics.trainerEvents(),
                "--bounded",
                "--checkpoint-interval",
                "1000",
                "--checkpoint-dir",
                checkpoints.toUri().toString(),
                "--transactional-id-prefix",
                name + "-test",
                "--encoder",
                "pixels",
                "--warmup-pairs",
                "16",
                "--warmup-steps",
                "5",
                "--batch-size",
                "8",
                "--replay-size",
                "64",
                "--passes",
                "1"));
        args.addAll(List.of(extra));
        int exit = VillaCommand.commandLine().execute(args.toArray(String[]::new));
        assertThat(exit).isZero();

        List<String> wholeImages = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : readCommitted(broker, topics.regionAttributePairs())) {
            RegionAttributePair region = Codecs.REGION_ATTRIBUTE_PAIR.decode(r.value());
            assertThat(r.key()).isEqualTo(region.getPairId());
            if (region.getWholeImage()) {
                wholeImages.add(region.getPairId());
            }
        }
        assertThat(wholeImages).containsExactlyInAnyOrderElementsOf(ids);
    }

    private static List<ConsumerRecord<String, byte[]>> readCommitted(EmbeddedKafkaBroker broker, String topic) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer =
                KafkaClients.rawConsumer(broker.settings(), "cmd-reader-" + topic)) {
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
