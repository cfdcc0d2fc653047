package io.villa.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.runtime.client.JobStatusMessage;
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
import picocli.CommandLine;

/**
 * villa decompose --from-savepoint and villa decompose stop: bad values are one clear error before anything starts; a
 * job on a cluster (a MiniCluster's REST endpoint) is stopped with a savepoint and started again from it.
 */
class DecomposeSavepointIT {

    private final StringWriter err = new StringWriter();

    private int villa(String... args) {
        CommandLine villa = VillaCommand.commandLine();
        villa.setErr(new PrintWriter(err, true));
        return villa.execute(args);
    }

    @Test
    void aSavepointThatIsNotThereFailsInOneLineBeforeAnythingStarts(@TempDir Path dir) {
        Path missing = dir.resolve("savepoint-gone");
        // no broker at localhost:1: the check comes before the job (or its MiniCluster) exists
        int exit = villa("decompose", "--bootstrap", "localhost:1", "--from-savepoint", missing.toString());
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString())
                .startsWith("villa decompose: --from-savepoint " + missing + ": no such file or directory")
                .doesNotContain("\tat ");
    }

    @Test
    void aDirectoryWithoutMetadataIsNotASavepoint(@TempDir Path dir) {
        int exit = villa(
                "decompose",
                "--bootstrap",
                "localhost:1",
                "--from-savepoint",
                dir.toUri().toString());
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString())
                .contains("--from-savepoint " + dir.toUri()
                        + " is not a savepoint or retained checkpoint: it holds no _metadata");
    }

    @Test
    void fromSavepointWithResumeIsAUsageError(@TempDir Path dir) {
        int exit = villa(
                "decompose", "--bootstrap", "localhost:1", "--from-savepoint", dir.toString(), "--resume", "none");
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString())
                .startsWith("--from-savepoint " + dir + " and --resume none both say where to start: pass only one");
    }

    @Test
    void stopRejectsBadValuesAndSaysWhenTheClusterIsNotThere() throws Exception {
        assertThat(villa("decompose", "stop", "--flink-rest", "localhost")).isEqualTo(2);
        assertThat(err.toString()).contains("--flink-rest", "expected HOST:PORT, got 'localhost'");
        err.getBuffer().setLength(0);
        assertThat(villa("decompose", "stop", "--flink-rest", "localhost:8081", "--job-id", "abc"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--job-id", "a job id is 32 hex digits, got 'abc'");
        err.getBuffer().setLength(0);

        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        long start = System.nanoTime();
        assertThat(villa("decompose", "stop", "--flink-rest", "localhost:" + port))
                .isEqualTo(1);
        assertThat(err.toString())
                .startsWith("villa decompose stop: cannot reach the Flink REST endpoint at localhost:" + port)
                .hasLineCount(1);
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .as("no retries for minutes")
                .isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void theResumeLineIsTheSameCommandWithTheSavepointInsteadOfResume() {
        CommandLine villa = VillaCommand.commandLine();
        villa.parseArgs(
                "decompose",
                "--bootstrap",
                "localhost:9092",
                "--resume",
                "none",
                "--group-id",
                "a b",
                "--mapping-parallelism=2");
        DecomposeCommand decompose = villa.getSubcommands().get("decompose").getCommand();
        assertThat(decompose.resumeCommand("file:/sp/savepoint-1"))
                .isEqualTo("villa decompose --bootstrap localhost:9092 --group-id 'a b' --mapping-parallelism=2 "
                        + "--from-savepoint file:/sp/savepoint-1");
    }

    /** Submit (detached), stop with a savepoint through the REST API, start again from it: every pair once. */
    @Test
    void stopsAJobOnAClusterWithASavepointAndItCarriesOnFromThere(@TempDir Path work) throws Exception {
        MiniClusterConfiguration cluster = RestMiniCluster.configuration();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
                MiniCluster flink = new MiniCluster(cluster)) {
            flink.start();
            URI restUri = flink.getRestAddress().get();
            String rest = restUri.getHost() + ":" + restUri.getPort();
            assertThat(villa("decompose", "stop", "--flink-rest", rest))
                    .as("nothing runs yet")
                    .isEqualTo(1);
            assertThat(err.toString())
                    .startsWith("villa decompose stop: no running job named villa-decompose on the Flink cluster at "
                            + rest);
            err.getBuffer().setLength(0);

            TopicNames topics = new TopicNames("stop.pairs", "stop.regions", "stop.dead", "stop.events");
            broker.createTopics(topics, 1);
            DocMnistGenerator generator = new DocMnistGenerator(
                    MnistDigits.fromDefaultCache(),
                    DocMnistConfig.builder().optSeed(9).build());
            Iterator<ImageReportPair> pairs = generator.records(Split.TRAIN);
            List<String> ids = new ArrayList<>(produce(broker, topics, pairs, 30));

            Path jobJar = Path.of(DecomposeJob.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            List<String> args = List.of(
                    "--flink-rest",
                    rest,
                    "--job-jar",
                    jobJar.toString(),
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
                    "--checkpoint-interval",
                    "500",
                    "--checkpoint-dir",
                    work.resolve("checkpoints").toUri().toString(),
                    "--transactional-id-prefix",
                    "stop-test",
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
                    "1");
            List<String> submit = new ArrayList<>(List.of("decompose"));
            submit.addAll(args);
            submit.add("--detached");
            assertThat(villa(submit.toArray(String[]::new)))
                    .as("submitted: %s", err)
                    .isZero();
            awaitWholeImages(broker, topics, ids.size());

            // this cluster has no savepoint directory of its own
            assertThat(villa("decompose", "stop", "--flink-rest", rest)).isEqualTo(1);
            assertThat(err.toString())
                    .startsWith("villa decompose stop: the Flink cluster at " + rest
                            + " has no default savepoint directory (execution.checkpointing.savepoint-dir): "
                            + "pass --savepoint-dir URI");
            err.getBuffer().setLength(0);
            String[] stopOut = new String[1];
            int exit = captureOut(
                    stopOut,
                    () -> villa(
                            "decompose",
                            "stop",
                            "--flink-rest",
                            rest,
                            "--savepoint-dir",
                            work.resolve("savepoints").toUri().toString()));
            assertThat(exit).as("stop: %s", err).isZero();
            String savepoint = stopOut[0]
                    .lines()
                    .filter(l -> l.startsWith("savepoint: "))
                    .findFirst()
                    .orElseThrow()
                    .substring("savepoint: ".length());
            assertThat(stopOut[0])
                    .contains(
                            "resume with: villa decompose --flink-rest " + rest + " ... --from-savepoint " + savepoint);
            assertThat(Path.of(URI.create(savepoint)))
                    .startsWith(work.resolve("savepoints"))
                    .isDirectory();
            assertThat(flink.listJobs().get())
                    .singleElement()
                    .extracting(JobStatusMessage::getJobState)
                    .isEqualTo(JobStatus.FINISHED);

            ids.addAll(produce(broker, topics, pairs, 20));
            List<String> resume = new ArrayList<>(List.of("decompose"));
            resume.addAll(args);
            resume.addAll(List.of("--from-savepoint", savepoint, "--detached"));
            assertThat(villa(resume.toArray(String[]::new)))
                    .as("resumed: %s", err)
                    .isZero();
            awaitWholeImages(broker, topics, ids.size());
            Thread.sleep(1500); // a few more checkpoints: a duplicate would show now
            // and stopped again the same way: the resumed job is the one running job of that name
            assertThat(captureOut(
                            stopOut,
                            () -> villa(
                                    "decompose",
                                    "stop",
                                    "--flink-rest",
                                    rest,
                                    "--savepoint-dir",
                                    work.resolve("savepoints").toUri().toString())))
                    .as("second stop: %s", err)
                    .isZero();
            assertThat(stopOut[0]).contains("savepoint: ");

            Map<String, Integer> wholeImages = wholeImages(broker, topics);
            assertThat(wholeImages.keySet()).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(wholeImages.values()).as("each pair exactly once").containsOnly(1);
        }
    }

    private static List<String> produce(
            EmbeddedKafkaBroker broker, TopicNames topics, Iterator<ImageReportPair> pairs, int n) {
        List<String> ids = new ArrayList<>();
        try (KafkaProducer<String, ImageReportPair> producer =
                KafkaClients.producer(broker.settings(), Codecs.IMAGE_REPORT_PAIR)) {
            for (int i = 0; i < n; i++) {
                ImageReportPair pair = pairs.next();
                ids.add(pair.getPairId());
                producer.send(new ProducerRecord<>(topics.imageReportPairs(), pair.getPairId(), pair));
            }
        }
        return ids;
    }

    private static void awaitWholeImages(EmbeddedKafkaBroker broker, TopicNames topics, int n)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (wholeImages(broker, topics).size() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the job did not decompose " + n + " pairs within 120 s");
            }
            Thread.sleep(500);
        }
    }

    private static Map<String, Integer> wholeImages(EmbeddedKafkaBroker broker, TopicNames topics) {
        Map<String, Integer> counts = new HashMap<>();
        String topic = topics.regionAttributePairs();
        try (KafkaConsumer<String, byte[]> consumer =
                KafkaClients.rawConsumer(broker.settings(), "stop-reader-" + System.nanoTime())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    RegionAttributePair region = Codecs.REGION_ATTRIBUTE_PAIR.decode(r.value());
                    if (region.getWholeImage()) {
                        counts.merge(region.getPairId(), 1, Integer::sum);
                    }
                }
            }
        }
        return counts;
    }

    private static int captureOut(String[] out, java.util.function.IntSupplier command) {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            return command.getAsInt();
        } finally {
            System.setOut(original);
            out[0] = bytes.toString(StandardCharsets.UTF_8);
            original.print(out[0]);
        }
    }
}
