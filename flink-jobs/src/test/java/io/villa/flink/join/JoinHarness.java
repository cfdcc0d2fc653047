package io.villa.flink.join;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.villa.kafka.KafkaClients;
import io.villa.kafka.KafkaSettings;
import io.villa.kafka.TopicAdmin;
import io.villa.kafka.embedded.EmbeddedKafkaBroker;
import io.villa.records.DeadLetter;
import io.villa.records.ImageReportPair;
import io.villa.records.StudyImage;
import io.villa.records.StudyReport;
import io.villa.schemas.Codecs;
import picocli.CommandLine;

/**
 * Runs the real join job (parsed from command-line arguments, as {@code villa join} does) in the test's Flink
 * MiniCluster against the embedded broker, feeds its topics and reads its output with read_committed consumers.
 */
public final class JoinHarness {

    final EmbeddedKafkaBroker broker;
    final String images;
    final String reports;
    final String pairs;
    final String deadLetters;

    public JoinHarness(EmbeddedKafkaBroker broker, String prefix, int partitions) {
        this.broker = broker;
        this.images = prefix + ".study-images";
        this.reports = prefix + ".study-reports";
        this.pairs = prefix + ".pairs";
        this.deadLetters = prefix + ".dead-letters";
        try (TopicAdmin admin = new TopicAdmin(broker.settings())) {
            admin.createIfMissing(List.of(images, reports, pairs, deadLetters), partitions, (short) 1);
        }
    }

    public List<String> args(Path checkpoints, String... extra) {
        List<String> args = new ArrayList<>(List.of("--bootstrap", broker.bootstrapServers(),
                "--topic-study-images", images, "--topic-study-reports", reports,
                "--topic-pairs", pairs, "--topic-dead-letters", deadLetters,
                "--group-id", pairs + "-join", "--transactional-id-prefix", pairs,
                "--checkpoint-dir", checkpoints.toUri().toString(), "--checkpoint-interval", "500"));
        args.addAll(List.of(extra));
        return args;
    }

    static JoinOptions parse(List<String> args) {
        JoinOptions options = new JoinOptions();
        new CommandLine(options).setOverwrittenOptionsAllowed(true).parseArgs(args.toArray(String[]::new));
        return options;
    }

    public JobClient start(List<String> args) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        JoinJob.build(env, parse(args));
        return env.executeAsync("join-test");
    }

    public long run(List<String> args) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        JoinJob.build(env, parse(args));
        return env.execute("join-test").getNetRuntime();
    }

    /** Images, reports and raw byte arrays (to the topic given by the preceding String) in order, keyed by studyKey. */
    public void produce(List<?> items) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(broker.settings().producerConfig(),
                new StringSerializer(), new ByteArraySerializer())) {
            for (Object item : items) {
                if (item instanceof StudyImage image) {
                    producer.send(new ProducerRecord<>(images, image.getStudyKey().toString(), FeedFixtures.encode(image)));
                } else if (item instanceof StudyReport report) {
                    producer.send(new ProducerRecord<>(reports, report.getStudyKey().toString(), FeedFixtures.encode(report)));
                } else if (item instanceof Raw raw) {
                    producer.send(new ProducerRecord<>(raw.topic(), raw.key(), raw.value()));
                } else {
                    throw new IllegalArgumentException("cannot produce " + item);
                }
            }
            producer.flush();
        }
    }

    public record Raw(String topic, String key, byte[] value) {
    }

    List<ConsumerRecord<String, byte[]>> readCommitted(String topic) {
        KafkaSettings settings = broker.settings();
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = KafkaClients.rawConsumer(settings, "reader-" + System.nanoTime())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
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

    public List<ImageReportPair> pairs() {
        return readCommitted(pairs).stream().map(r -> Codecs.IMAGE_REPORT_PAIR.decode(r.value())).toList();
    }

    public List<DeadLetter> deadLetters() {
        return readCommitted(deadLetters).stream().map(r -> Codecs.DEAD_LETTER.decode(r.value())).toList();
    }

    static void await(BooleanSupplier done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(250);
        }
    }
}
