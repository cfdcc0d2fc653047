package io.villa.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.villa.cli.VillaCommand;
import io.villa.kafka.AvroKafkaSerializer;
import io.villa.kafka.KafkaSettings;
import io.villa.kafka.embedded.EmbeddedKafkaExtension;
import io.villa.producers.docmnist.DocMnistConfig;
import io.villa.producers.docmnist.DocMnistGenerator;
import io.villa.producers.mnist.MnistDigits;
import io.villa.records.ImageReportPair;
import io.villa.records.RegionAttributePair;
import io.villa.records.Split;
import io.villa.records.TrainerEvent;
import io.villa.records.TrainerEventKind;
import io.villa.schemas.Codecs;
import io.villa.trainer.checkpoint.CheckpointState;
import io.villa.trainer.checkpoint.CheckpointStore;
import io.villa.trainer.oracle.OracleDecomposition;

/**
 * {@code villa train} as its own JVM, SIGKILLed mid-stream while records still arrive, then started again with the
 * same command: in the end it has trained exactly as many records as the topic holds TRAIN records (nothing skipped,
 * nothing trained twice). Prints how long the restarted trainer took to take its first training step.
 */
class TrainCrashIT {

    private static final int BATCH = 16;
    private static final int CHECKPOINT_EVERY = 5;

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @Test
    void sigkillMidStreamThenRestart_everyTrainRecordTrainedExactlyOnce(@TempDir Path dir) throws Exception {
        String topic = "regions-crash";
        String events = "events-crash";
        KafkaSettings kafka = KAFKA.broker().settings();
        try (Admin admin = Admin.create(kafka.adminConfig())) {
            admin.createTopics(List.of(
                            new NewTopic(topic, 2, (short) 1),
                            new NewTopic(events, 1, (short) 1),
                            new NewTopic("dead-crash", 1, (short) 1)))
                    .all()
                    .get();
        }
        List<RegionAttributePair> records = records();
        long trainRecords =
                records.stream().filter(r -> r.getSplit() == Split.TRAIN).count();
        assertThat(trainRecords).isGreaterThan(40L * BATCH);

        // the first 40% at once; the rest streamed in small transactions once the trainer runs (and while it is down)
        int head = records.size() * 2 / 5;
        produce(kafka, topic, records.subList(0, head));

        List<String> command = List.of(
                "train",
                "--bootstrap",
                KAFKA.broker().bootstrapServers(),
                "--topic-regions",
                topic,
                "--topic-trainer-events",
                events,
                "--topic-dead-letters",
                "dead-crash",
                "--checkpoint-dir",
                dir.toString(),
                "--checkpoint-every",
                Integer.toString(CHECKPOINT_EVERY),
                "--batch-size",
                Integer.toString(BATCH),
                "--eval-every",
                "0",
                "--idle-stop",
                "6",
                "--device",
                "cpu",
                "--threads",
                "1",
                "--no-progress");

        // run 1: killed (SIGKILL) once it has checkpointed twice and trained on past its last checkpoint
        long killedAtStep;
        CompletableFuture<Void> stream;
        try (Child first = Child.start(command)) {
            awaitStep(dir, CHECKPOINT_EVERY, first);
            stream = CompletableFuture.runAsync(() -> {
                for (int from = head; from < records.size(); from += 40) {
                    produce(kafka, topic, records.subList(from, Math.min(records.size(), from + 40)));
                    sleep(400);
                }
            });
            awaitStep(dir, 2 * CHECKPOINT_EVERY, first);
            assertThat(latestStep(dir))
                    .as("first run checkpointed; output:\n%s", first.output())
                    .isGreaterThanOrEqualTo(2 * CHECKPOINT_EVERY);
            Thread.sleep(300); // a few steps beyond the checkpoint, which the restart must redo
            assertThat(stream).as("records still streaming at the kill").isNotDone();
            first.process.destroyForcibly(); // SIGKILL: no shutdown hook, no final checkpoint
            assertThat(first.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            killedAtStep = latestStep(dir);
        }

        // run 2: the same command; resumes from the last checkpoint, drains the topic, stops when idle
        try (Child second = Child.start(command)) {
            Long resumedAfterMillis =
                    second.awaitLine("training: first step of this run is step", Duration.ofSeconds(90));
            assertThat(resumedAfterMillis)
                    .as("restart took a training step; output:\n%s", second.output())
                    .isNotNull();
            stream.get(60, TimeUnit.SECONDS);
            assertThat(second.process.waitFor(120, TimeUnit.SECONDS))
                    .as("second run ended; output:\n%s", second.output())
                    .isTrue();
            assertThat(second.process.exitValue()).as(second.output()).isZero();

            CheckpointState end = CheckpointStore.readState(newest(dir).orElseThrow());
            TrainerEvent finished = events(kafka, events).stream()
                    .filter(e -> e.getKind() == TrainerEventKind.FINISHED)
                    .reduce((a, b) -> b)
                    .orElseThrow();
            System.out.printf(
                    "crash test: killed after checkpoint step %d; restart took its first training step %d ms after"
                            + " the JVM started; trained %d records, topic holds %d TRAIN records%n",
                    killedAtStep, resumedAfterMillis, end.samplesSeen(), trainRecords);
            assertThat(end.samplesSeen()).isEqualTo(trainRecords);
            assertThat(finished.getSamplesSeen()).isEqualTo(trainRecords);
            assertThat(second.output()).contains("resuming from ckpt-");
        }
    }

    /** DocMNIST through the oracle decomposition; the TRAIN count kept off 1 mod the batch (a lone record never trains). */
    private static List<RegionAttributePair> records() {
        DocMnistGenerator generator = new DocMnistGenerator(
                MnistDigits.fromDefaultCache(),
                DocMnistConfig.builder().optSeed(7).optBudgets(3000, 300, 0).build());
        List<List<RegionAttributePair>> pairs = new ArrayList<>();
        for (Split split : List.of(Split.TRAIN, Split.VAL)) {
            for (Iterator<ImageReportPair> it = generator.records(split); it.hasNext(); ) {
                pairs.add(OracleDecomposition.decompose(it.next()));
            }
        }
        // held-out pairs arrive among training ones; a pair's records stay together and in order (regions, then the
        // whole
        // image), as the decomposition job writes them
        Collections.shuffle(pairs, new java.util.Random(7));
        List<RegionAttributePair> out = new ArrayList<>();
        pairs.forEach(out::addAll);
        if (out.stream().filter(r -> r.getSplit() == Split.TRAIN).count() % BATCH == 1) {
            out.remove(out.stream()
                    .filter(r -> r.getSplit() == Split.TRAIN && !r.getWholeImage())
                    .findFirst()
                    .orElseThrow());
        }
        return out;
    }

    private static void produce(KafkaSettings kafka, String topic, List<RegionAttributePair> records) {
        var config = new java.util.HashMap<>(kafka.producerConfig());
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "crash-" + UUID.randomUUID());
        try (KafkaProducer<String, RegionAttributePair> producer = new KafkaProducer<>(
                config, new StringSerializer(), new AvroKafkaSerializer<>(Codecs.REGION_ATTRIBUTE_PAIR))) {
            producer.initTransactions();
            producer.beginTransaction();
            records.forEach(
                    r -> producer.send(new ProducerRecord<>(topic, r.getPairId().toString(), r)));
            producer.commitTransaction();
        }
    }

    private static void awaitStep(Path dir, long step, Child child) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (latestStep(dir) < step && System.nanoTime() < deadline) {
            assertThat(child.process.isAlive())
                    .as("first run alive; output:\n%s", child.output())
                    .isTrue();
            Thread.sleep(50);
        }
    }

    /** The newest complete checkpoint's step, from directory names only: the trainer's store owns the directory. */
    private static long latestStep(Path dir) throws IOException {
        return newest(dir)
                .map(p -> Long.parseLong(p.getFileName().toString().substring("ckpt-".length())))
                .orElse(0L);
    }

    private static java.util.Optional<Path> newest(Path dir) throws IOException {
        try (var files = java.nio.file.Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("ckpt-\\d{12}"))
                    .max(java.util.Comparator.naturalOrder());
        }
    }

    private static List<TrainerEvent> events(KafkaSettings kafka, String topic) {
        Properties p = KafkaSettings.asProperties(kafka.consumerConfig("crash-reader-" + UUID.randomUUID()));
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<TrainerEvent> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline
                    && out.stream().noneMatch(e -> e.getKind() == TrainerEventKind.FINISHED)) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> out.add(Codecs.TRAINER_EVENT.decode(r.value())));
            }
        }
        return out;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code villa train} in a child JVM, its output collected line by line with when each line came. */
    private static final class Child implements AutoCloseable {
        private final Process process;
        private final long startNanos = System.nanoTime();
        private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        private final List<Long> lineNanos = Collections.synchronizedList(new ArrayList<>());

        private Child(Process process) {
            this.process = process;
            Thread drain = new Thread(
                    () -> {
                        try (BufferedReader out = new BufferedReader(
                                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                            String line;
                            while ((line = out.readLine()) != null) {
                                synchronized (lines) {
                                    lineNanos.add(System.nanoTime());
                                    lines.add(line);
                                }
                            }
                        } catch (IOException ended) {
                            // the process is gone
                        }
                    },
                    "villa-train-output");
            drain.setDaemon(true);
            drain.start();
        }

        static Child start(List<String> args) throws IOException {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx1g",
                    "-cp",
                    System.getProperty("java.class.path"),
                    VillaCommand.class.getName()));
            command.addAll(args);
            return new Child(
                    new ProcessBuilder(command).redirectErrorStream(true).start());
        }

        /** Milliseconds from the start until a line containing {@code text} came, or null after {@code timeout}. */
        Long awaitLine(String text, Duration timeout) throws InterruptedException {
            long deadline = startNanos + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                synchronized (lines) {
                    for (int i = 0; i < lines.size(); i++) {
                        if (lines.get(i).contains(text)) {
                            return (lineNanos.get(i) - startNanos) / 1_000_000;
                        }
                    }
                }
                if (!process.isAlive()) {
                    return null;
                }
                Thread.sleep(20);
            }
            return null;
        }

        String output() {
            synchronized (lines) {
                return String.join("\n", lines);
            }
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }
}
