package io.villa.trainer.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

import io.villa.records.RegionAttributePair;
import io.villa.records.Split;
import io.villa.schemas.Codecs;
import io.villa.schemas.RecordDecodingException;
import io.villa.trainer.config.TrainingMode;
import io.villa.trainer.data.Example;
import io.villa.trainer.data.ExampleDecoder;

/**
 * The trainer's feeding thread: owns the Kafka consumer, polls, decodes (Avro, then the PNG crop) and
 * hands the training thread what matters, in offset order, through a bounded queue, so consuming and
 * decoding overlap with training instead of stalling it.
 *
 * <p>Handed over: training examples the mode learns from, held-out (VAL/TEST) regions, rejected
 * records (for the dead-letter topic), and after each poll the consumer positions ({@link Positions}:
 * they move past transaction markers that carry no record). Not handed over: records the mode does
 * not learn from and TRAIN records before the checkpoint (replayed only to rebuild the held-out sets);
 * re-reading those after a restart is harmless.
 */
final class RecordFetcher implements Runnable {

    private static final Duration POLL = Duration.ofMillis(100);

    /** What the feeding thread passes on. */
    sealed interface Fetched permits Train, HeldOut, Rejected, Positions, Failed {
    }

    record Train(TopicPartition partition, long offset, Example example) implements Fetched {
    }

    record HeldOut(TopicPartition partition, long offset, Example example) implements Fetched {
    }

    record Rejected(ConsumerRecord<byte[], byte[]> record, Exception error) implements Fetched {
    }

    record Positions(Map<TopicPartition, Long> positions) implements Fetched {
    }

    record Failed(RuntimeException error) implements Fetched {
    }

    private final KafkaRegionSource source;
    private final TrainingMode mode;
    private final ExampleDecoder decoder;
    private final Map<TopicPartition, Long> replayUntil;
    private final BlockingQueue<Fetched> queue;
    private final AtomicReference<Map<String, Long>> toCommit = new AtomicReference<>();
    private final AtomicLong skippedByMode = new AtomicLong();
    private volatile long lag = -1;
    private volatile boolean stopped;
    private final ForkJoinPool decodePool;

    RecordFetcher(KafkaRegionSource source, TrainingMode mode, ExampleDecoder decoder, Map<TopicPartition, Long> replayUntil,
                  int capacity) {
        this.source = source;
        this.mode = mode;
        this.decoder = decoder;
        this.replayUntil = Map.copyOf(replayUntil);
        this.queue = new ArrayBlockingQueue<>(capacity);
        // decoding (Avro + PNG, ~30 us a record) runs beside training; beyond one thread only where cores
        // are plenty (a GPU trainer), since on a small CPU box extra decoders just take cores from PyTorch
        int cores = Runtime.getRuntime().availableProcessors();
        int threads = Integer.getInteger("villa.trainer.decode-threads", cores >= 8 ? Math.min(8, cores / 4) : 1);
        this.decodePool = threads > 1 ? new ForkJoinPool(threads) : null;
    }

    BlockingQueue<Fetched> queue() {
        return queue;
    }

    long lag() {
        return lag;
    }

    long skippedByMode() {
        return skippedByMode.get();
    }

    /** Offsets to commit to the consumer group for monitoring (the consumer is this thread's alone). */
    void commitLater(Map<String, Long> offsets) {
        toCommit.set(offsets);
    }

    void stop() {
        stopped = true;
        source.wakeup();
        if (decodePool != null) {
            decodePool.shutdown();
        }
    }

    @Override
    public void run() {
        Map<TopicPartition, Long> lastPositions = new HashMap<>();
        try {
            while (!stopped) {
                ConsumerRecords<byte[], byte[]> records = source.poll(POLL);
                for (Fetched f : classifyAll(records)) {
                    if (f != null && !put(f)) {
                        return;
                    }
                }
                Map<TopicPartition, Long> positions = new HashMap<>();
                for (TopicPartition tp : source.partitions()) {
                    positions.put(tp, source.position(tp));
                }
                if (!positions.equals(lastPositions)) {
                    lastPositions = positions;
                    if (!put(new Positions(positions))) {
                        return;
                    }
                }
                lag = source.lag();
                Map<String, Long> commit = toCommit.getAndSet(null);
                if (commit != null) {
                    source.commitForMonitoring(commit);
                }
            }
        } catch (WakeupException e) {
            // stop() woke the poll up
        } catch (RuntimeException e) {
            if (!stopped) {
                put(new Failed(e));
            }
        }
    }

    /** Decodes a poll's records, in parallel where there are cores to spare, keeping their order. */
    private Fetched[] classifyAll(ConsumerRecords<byte[], byte[]> records) {
        List<ConsumerRecord<byte[], byte[]>> list = new ArrayList<>(records.count());
        records.forEach(list::add);
        if (decodePool == null || list.size() < 64) {
            return list.stream().map(this::classify).toArray(Fetched[]::new);
        }
        try {
            return decodePool.submit(() -> list.parallelStream().map(this::classify).toArray(Fetched[]::new)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        }
    }

    private Fetched classify(ConsumerRecord<byte[], byte[]> r) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        boolean replay = r.offset() < replayUntil.getOrDefault(tp, 0L);
        try {
            RegionAttributePair record = Codecs.REGION_ATTRIBUTE_PAIR.decode(r.value());
            if (record.getSplit() == Split.TRAIN) {
                if (replay) {
                    return null; // before the checkpoint: already trained
                }
                if (!mode.learnsFrom(record)) {
                    skippedByMode.incrementAndGet();
                    return null;
                }
                return new Train(tp, r.offset(), decoder.decode(record));
            }
            if (record.getWholeImage() || record.getGroundTruth() == null) {
                return null; // evaluation ranks regions against their ground truth
            }
            return new HeldOut(tp, r.offset(), decoder.decode(record));
        } catch (RecordDecodingException | ExampleDecoder.InvalidRecordException e) {
            return replay ? null : new Rejected(r, e);
        }
    }

    private boolean put(Fetched f) {
        try {
            while (!stopped) {
                if (queue.offer(f, 100, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }
}
