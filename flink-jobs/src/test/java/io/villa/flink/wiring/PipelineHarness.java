package io.villa.flink.wiring;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.villa.flink.DecomposeJob;
import io.villa.flink.DecomposeOptions;
import io.villa.flink.mapping.ModelVersion;
import io.villa.kafka.KafkaSettings;
import io.villa.kafka.TopicNames;
import io.villa.kafka.embedded.EmbeddedKafkaBroker;
import io.villa.records.ImageReportPair;
import io.villa.records.RegionAttributePair;
import io.villa.records.TrainerEvent;
import io.villa.records.TrainerEventKind;
import io.villa.schemas.Codecs;
import picocli.CommandLine;

/**
 * Runs the real decomposition job (parsed from command-line arguments, as `villa decompose` and the job jar do)
 * in the test's Flink MiniCluster against the embedded broker, and reads what it wrote with read_committed consumers.
 */
public final class PipelineHarness {

    /** Small and fast mapping settings for tests: the model warms up after a few dozen TRAIN pairs. */
    public static final List<String> FAST_MAPPING = List.of("--encoder", "pixels", "--warmup-pairs", "24", "--warmup-steps", "10",
            "--batch-size", "8", "--replay-size", "256", "--passes", "2", "--head-width", "32", "--log-every", "0",
            "--publish-every", "2");

    final EmbeddedKafkaBroker broker;
    final TopicNames topics;

    PipelineHarness(EmbeddedKafkaBroker broker, String prefix) {
        this(broker, prefix, 1);
    }

    PipelineHarness(EmbeddedKafkaBroker broker, String prefix, int partitions) {
        this.broker = broker;
        this.topics = new TopicNames(prefix + ".pairs", prefix + ".regions", prefix + ".dead-letters", prefix + ".events");
        broker.createTopics(topics, partitions);
    }

    KafkaSettings settings() {
        return broker.settings();
    }

    /** The job's arguments for this broker and these topics, plus {@code extra} (which win over the defaults here). */
    List<String> args(Path checkpoints, String... extra) {
        List<String> args = new ArrayList<>(List.of("--bootstrap", broker.bootstrapServers(),
                "--topic-pairs", topics.imageReportPairs(), "--topic-regions", topics.regionAttributePairs(),
                "--topic-dead-letters", topics.deadLetters(), "--topic-trainer-events", topics.trainerEvents(),
                "--group-id", topics.imageReportPairs() + "-job", "--transactional-id-prefix", topics.imageReportPairs(),
                "--checkpoint-dir", checkpoints.toUri().toString(), "--checkpoint-interval", "1000"));
        args.addAll(FAST_MAPPING);
        args.addAll(List.of(extra));
        return args;
    }

    static DecomposeOptions parse(List<String> args) {
        DecomposeOptions options = new DecomposeOptions();
        new CommandLine(options).setOverwrittenOptionsAllowed(true).parseArgs(args.toArray(String[]::new));
        return options;
    }

    /** Builds the job from {@code args} on the MiniCluster's environment and runs it to the end (bounded). */
    JobExecutionResult run(List<String> args) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        DecomposeJob.build(env, parse(args));
        return env.execute("decompose-test");
    }

    /** Builds the job from {@code args} and starts it without waiting (for unbounded runs). */
    org.apache.flink.core.execution.JobClient start(List<String> args) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        DecomposeJob.build(env, parse(args));
        return env.executeAsync("decompose-test");
    }

    /** Produces pairs (Avro) and raw values (anything) in the given order, keyed by id, in one flush. */
    void produce(List<Object> items) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(settings().producerConfig(),
                new StringSerializer(), new ByteArraySerializer())) {
            int i = 0;
            for (Object item : items) {
                if (item instanceof ImageReportPair pair) {
                    producer.send(new ProducerRecord<>(topics.imageReportPairs(), pair.getPairId(),
                            Codecs.IMAGE_REPORT_PAIR.encode(pair)));
                } else {
                    producer.send(new ProducerRecord<>(topics.imageReportPairs(), "raw-" + i, (byte[]) item));
                }
                i++;
            }
            producer.flush();
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Everything committed to {@code topic} so far, in offset order (one partition), read with read_committed. */
    List<ConsumerRecord<String, byte[]>> readCommitted(String topic) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = io.villa.kafka.KafkaClients.rawConsumer(settings(), "reader-" + System.nanoTime())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // with read_committed, endOffsets is the last stable offset: everything before it is decided
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end " + end);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    /** Every region-attribute pair committed so far. */
    List<RegionAttributePair> regions() {
        return readCommitted(topics.regionAttributePairs()).stream()
                .map(r -> Codecs.REGION_ATTRIBUTE_PAIR.decode(r.value())).toList();
    }

    /** Waits (3 minutes at most) until the committed region-attribute pairs satisfy {@code done}; returns them. */
    List<RegionAttributePair> awaitRegions(Predicate<List<RegionAttributePair>> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (true) {
            List<RegionAttributePair> regions = regions();
            if (done.test(regions)) {
                return regions;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out; committed so far: " + regions.size() + " region-attribute pairs");
            }
            Thread.sleep(500);
        }
    }

    /** Waits (3 minutes at most) until {@code done}. */
    static void await(BooleanSupplier done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(500);
        }
    }

    /** The mapping model versions the learner announced (published), in order. */
    List<Long> publishedVersions() {
        List<Long> out = new ArrayList<>();
        for (var r : readCommitted(topics.trainerEvents())) {
            TrainerEvent e = Codecs.TRAINER_EVENT.decode(r.value());
            if (e.getModelId().toString().equals(ModelVersion.MODEL_ID)
                    && e.getKind() == TrainerEventKind.CHECKPOINT) {
                out.add(e.getModelVersion());
            }
        }
        return out;
    }

    static Map<String, Integer> countByKey(Stream<String> keys) {
        Map<String, Integer> counts = new HashMap<>();
        keys.forEach(k -> counts.merge(k, 1, Integer::sum));
        return counts;
    }
}
