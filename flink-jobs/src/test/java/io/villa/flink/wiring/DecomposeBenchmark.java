package io.villa.flink.wiring;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

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
 * Decomposition benchmark: the real job (local MiniCluster) on the embedded broker with DocMNIST.
 * <ol>
 * <li>warm-up: TRAIN pairs until the mapping model is warm (its first committed output);</li>
 * <li>throughput: a burst of pairs (4 TRAIN : 1 VAL, as a feed mixes them) produced at once; pairs/s from the first
 * send to the last whole-image record committed (read_committed); then a burst of VAL pairs only (the model applied,
 * no learning);</li>
 * <li>latency: pairs at a steady rate; per pair, produce time (its eventTime, set at send) to the moment a
 * read_committed consumer receives its whole-image record: p50 / p99.</li>
 * </ol>
 * Arguments: burstPairs ratePerSecond latencySeconds [job options ...] (job options win over the defaults below,
 * e.g. --checkpoint-interval 1000 --encoder conv).
 */
public final class DecomposeBenchmark {

    public static void main(String[] args) throws Exception {
        int burst = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        double rate = args.length > 1 ? Double.parseDouble(args[1]) : 10;
        int latencySeconds = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        List<String> jobOptions = args.length > 3 ? Arrays.asList(args).subList(3, args.length) : List.of();
        System.setProperty("ai.djl.offline", "true");

        Path checkpoints = Files.createTempDirectory("villa-bench-checkpoints");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            PipelineHarness harness = new PipelineHarness(broker, "bench");
            TopicNames topics = harness.topics;
            List<String> jobArgs = new ArrayList<>(List.of(
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
                    "--checkpoint-dir",
                    checkpoints.toUri().toString(),
                    "--log-every",
                    "0",
                    "--publish-every",
                    "32"));
            jobArgs.addAll(jobOptions);
            var options = PipelineHarness.parse(jobArgs);
            System.out.printf(Locale.ROOT, "job options: %s%n", String.join(" ", jobOptions));

            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment();
            DecomposeJob.build(env, options);
            JobClient job = env.executeAsync("decompose-benchmark");

            // budgets large enough that no split runs out during the run
            DocMnistGenerator generator = new DocMnistGenerator(
                    MnistDigits.fromDefaultCache(),
                    DocMnistConfig.builder()
                            .optSeed(99)
                            .optBudgets(100_000_000L, 100_000_000L, 0)
                            .build());
            Iterator<ImageReportPair> train = generator.records(Split.TRAIN);
            Iterator<ImageReportPair> val = generator.records(Split.VAL);
            long sentPairs = 0;
            try (KafkaProducer<String, ImageReportPair> producer =
                            KafkaClients.producer(broker.settings(), Codecs.IMAGE_REPORT_PAIR);
                    WholeImageWatcher watcher = new WholeImageWatcher(broker, topics.regionAttributePairs())) {

                // 1. warm-up
                long t0 = System.nanoTime();
                int warmup = options.warmupPairs;
                for (int i = 0; i < warmup; i++) {
                    send(producer, topics, train.next());
                }
                producer.flush();
                sentPairs += warmup;
                watcher.awaitCount(warmup, Duration.ofMinutes(20));
                System.out.printf(
                        Locale.ROOT,
                        "warm-up: %d TRAIN pairs decomposed and committed after %.1f s%n",
                        warmup,
                        (System.nanoTime() - t0) / 1e9);

                // 2. throughput
                long start = System.nanoTime();
                for (int i = 0; i < burst; i++) {
                    send(producer, topics, i % 5 == 4 ? val.next() : train.next());
                }
                producer.flush();
                sentPairs += burst;
                watcher.awaitCount(sentPairs, Duration.ofMinutes(30));
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf(
                        Locale.ROOT,
                        "throughput: %d pairs (4 TRAIN : 1 VAL) in %.1f s = %.1f pairs/s (to committed output)%n",
                        burst,
                        seconds,
                        burst / seconds);
                // learning runs beside the stream: when has it learned from every TRAIN pair of the burst?
                long trainSent = warmup + burst - burst / 5;
                long learned = awaitLearned(
                        broker, topics.trainerEvents(), trainSent - options.batchSize + 1, Duration.ofMinutes(30));
                double learnedSeconds = (System.nanoTime() - start) / 1e9;
                System.out.printf(
                        Locale.ROOT,
                        "learning: a version that learned from %d of %d TRAIN pairs published %.1f s after the burst "
                                + "began (%.1f TRAIN pairs/s learned)%n",
                        learned,
                        trainSent,
                        learnedSeconds,
                        (burst - burst / 5) / learnedSeconds);

                // 2b. apply-only throughput: VAL pairs are decomposed but never trained on
                start = System.nanoTime();
                for (int i = 0; i < burst; i++) {
                    send(producer, topics, val.next());
                }
                producer.flush();
                sentPairs += burst;
                watcher.awaitCount(sentPairs, Duration.ofMinutes(30));
                seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf(
                        Locale.ROOT,
                        "throughput: %d VAL pairs (apply only, no learning) in %.1f s = %.1f pairs/s (to committed output)%n",
                        burst,
                        seconds,
                        burst / seconds);

                // 3. latency at a steady rate
                watcher.latencies.clear();
                long n = Math.round(rate * latencySeconds);
                long begin = System.nanoTime();
                for (long i = 0; i < n; i++) {
                    long due = begin + (long) (i * 1e9 / rate);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    send(producer, topics, i % 5 == 4 ? val.next() : train.next());
                }
                producer.flush();
                sentPairs += n;
                watcher.awaitCount(sentPairs, Duration.ofMinutes(10));
                long[] ms = watcher.latencies.stream()
                        .mapToLong(Long::longValue)
                        .sorted()
                        .toArray();
                System.out.printf(
                        Locale.ROOT,
                        "latency at %.1f pairs/s over %d pairs: p50 %d ms, p99 %d ms, max %d ms%n",
                        rate,
                        ms.length,
                        percentile(ms, 0.50),
                        percentile(ms, 0.99),
                        ms[ms.length - 1]);
            } finally {
                job.cancel().get();
            }
        }
    }

    /** Waits for a published mapping version (CHECKPOINT announcement) that learned from at least {@code trainPairs}. */
    private static long awaitLearned(EmbeddedKafkaBroker broker, String eventsTopic, long trainPairs, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, byte[]> consumer =
                KafkaClients.rawConsumer(broker.settings(), "bench-events-" + System.nanoTime())) {
            var partition = new org.apache.kafka.common.TopicPartition(eventsTopic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    io.villa.records.TrainerEvent e = Codecs.TRAINER_EVENT.decode(r.value());
                    if (e.getKind() == io.villa.records.TrainerEventKind.CHECKPOINT
                            && e.getSamplesSeen() >= trainPairs) {
                        return e.getSamplesSeen();
                    }
                }
            }
        }
        throw new IllegalStateException("no version learned from " + trainPairs + " TRAIN pairs within " + timeout);
    }

    private static void send(KafkaProducer<String, ImageReportPair> producer, TopicNames topics, ImageReportPair pair) {
        pair.setEventTime(Instant.now());
        producer.send(new ProducerRecord<>(topics.imageReportPairs(), pair.getPairId(), pair));
    }

    private static long percentile(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    /** A read_committed consumer on its own thread: counts whole-image records and their produce-to-receive latency. */
    private static final class WholeImageWatcher implements AutoCloseable {
        final List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        private final Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        WholeImageWatcher(EmbeddedKafkaBroker broker, String topic) {
            thread = new Thread(
                    () -> {
                        try (KafkaConsumer<String, byte[]> consumer =
                                KafkaClients.rawConsumer(broker.settings(), "bench-watcher")) {
                            consumer.subscribe(List.of(topic));
                            while (running.get()) {
                                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                                    long now = System.currentTimeMillis();
                                    RegionAttributePair region = Codecs.REGION_ATTRIBUTE_PAIR.decode(r.value());
                                    if (region.getWholeImage() && seen.add(region.getPairId())) {
                                        latencies.add(
                                                now - region.getEventTime().toEpochMilli());
                                    }
                                }
                            }
                        }
                    },
                    "whole-image-watcher");
            thread.setDaemon(true);
            thread.start();
        }

        void awaitCount(long n, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (seen.size() < n) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "only " + seen.size() + " of " + n + " pairs decomposed in " + timeout);
                }
                Thread.sleep(20);
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(5000);
        }
    }
}
