package io.villa.flink.faults;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.villa.flink.DecomposeJob;
import io.villa.flink.DecomposeOptions;
import io.villa.flink.wiring.PipelineHarness;
import io.villa.kafka.KafkaSettings;
import io.villa.kafka.TopicNames;
import io.villa.kafka.embedded.EmbeddedKafkaBroker;
import picocli.CommandLine;

/**
 * One run of the real decomposition job on its own topics: sends records with a plain Kafka producer, runs the
 * job bounded with no restarts (so any failure that would restart it fails the run instead), and reads what it
 * committed with independent read_committed consumers.
 */
final class BatteryJob {

    /**
     * The input topic takes records up to this size (the broker's default is 1 MB), as a feed's topic may: the job
     * must cope with inputs bigger than its own outputs may be.
     */
    static final int INPUT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    final EmbeddedKafkaBroker broker;
    final TopicNames topics;

    BatteryJob(EmbeddedKafkaBroker broker, String prefix) {
        this.broker = broker;
        this.topics =
                new TopicNames(prefix + ".pairs", prefix + ".regions", prefix + ".dead-letters", prefix + ".events");
        try (Admin admin = Admin.create(settings().adminConfig())) {
            admin.createTopics(List.of(new NewTopic(topics.imageReportPairs(), 1, (short) 1)
                            .configs(Map.of("max.message.bytes", String.valueOf(INPUT_MAX_MESSAGE_BYTES)))))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not create " + topics.imageReportPairs(), e);
        }
        broker.createTopics(topics, 1);
    }

    KafkaSettings settings() {
        return broker.settings();
    }

    /** Sends the records in order, each with its own key; returns their offsets. */
    List<Long> send(List<BatteryRecord> records) {
        Map<String, Object> config = settings().producerConfig();
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, INPUT_MAX_MESSAGE_BYTES);
        config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 4L * INPUT_MAX_MESSAGE_BYTES);
        List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
        List<Long> offsets = new ArrayList<>(records.size());
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (BatteryRecord r : records) {
                sent.add(producer.send(new ProducerRecord<>(topics.imageReportPairs(), r.keyBytes(), r.value())));
            }
            producer.flush();
            for (int i = 0; i < sent.size(); i++) {
                try {
                    offsets.add(sent.get(i).get(60, TimeUnit.SECONDS).offset());
                } catch (Exception e) {
                    throw new IllegalStateException(
                            "could not send " + records.get(i).label() + " (key "
                                    + records.get(i).key() + ")",
                            e);
                }
            }
        }
        return offsets;
    }

    /** The job's arguments: the tests' fast mapping settings, bounded, no restarts. */
    List<String> args(Path checkpoints) {
        List<String> args = new ArrayList<>(List.of(
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
                "--group-id",
                topics.imageReportPairs() + "-job",
                "--transactional-id-prefix",
                topics.imageReportPairs(),
                "--checkpoint-dir",
                checkpoints.toUri().toString(),
                "--checkpoint-interval",
                "1000"));
        args.addAll(PipelineHarness.FAST_MAPPING);
        args.addAll(List.of("--bounded", "--restart-attempts", "0"));
        return args;
    }

    /** Runs the job to its bounded end; a job still running after {@code timeout} is cancelled and counts as failed. */
    JobOutcome run(Path checkpoints, Duration timeout) throws Exception {
        DecomposeOptions options = new DecomposeOptions();
        new CommandLine(options)
                .setOverwrittenOptionsAllowed(true)
                .parseArgs(args(checkpoints).toArray(String[]::new));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        DecomposeJob.build(env, options);
        long started = System.nanoTime();
        JobClient client = env.executeAsync("hostile-record-battery " + topics.imageReportPairs());
        try {
            // the job's result: it throws the failure that would have restarted the job
            client.getJobExecutionResult().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            JobStatus status = client.getJobStatus().get(10, TimeUnit.SECONDS);
            return JobOutcome.finished(status, seconds(started));
        } catch (ExecutionException e) {
            return JobOutcome.failed(seconds(started), e.getCause());
        } catch (TimeoutException e) {
            boolean stopped = cancel(client);
            return JobOutcome.timedOut(seconds(started), timeout, stopped);
        }
    }

    /** Cancels the job and waits for it to end; false when it would not stop (a task stuck in a loop). */
    private static boolean cancel(JobClient client) {
        try {
            client.cancel().get(30, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (System.nanoTime() < deadline) {
                if (client.getJobStatus().get(10, TimeUnit.SECONDS).isGloballyTerminalState()) {
                    return true;
                }
                Thread.sleep(500);
            }
        } catch (Exception e) {
            // reported as a job that would not stop
        }
        return false;
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    /** Everything committed to {@code topic}, in offset order, read with read_committed by a consumer of its own. */
    List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic) {
        Map<String, Object> config = settings().consumerConfig("battery-reader-" + System.nanoTime());
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            // with read_committed, the end offset is the last stable offset: everything before it is decided
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (consumer.position(tp) < end) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end " + end);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }
}
