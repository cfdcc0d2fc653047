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
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.villa.records.RegionAttributePair;
import io.villa.records.Split;
import io.villa.schemas.Codecs;
import io.villa.schemas.RecordDecodingException;
import io.villa.trainer.config.LostOffsetPolicy;
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
 *
 * <p>Never dies quietly: whatever it throws (an {@link Error} included) is handed over as {@link Failed}, and the
 * training thread ends the trainer with it. A record that fails to decode, however it fails, is {@link Rejected}
 * alone. Every {@code partitionRefreshMillis} it looks for partitions added to the topic and reads them from their
 * beginning. An offset out of the topic's retention is handled by the {@link LostOffsetPolicy}: {@link Lost} (then
 * reading on from the earliest offset) or {@link Failed}.
 */
final class RecordFetcher implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(RecordFetcher.class);
    private static final Duration POLL = Duration.ofMillis(100);

    /** What the feeding thread passes on. */
    sealed interface Fetched permits Train, HeldOut, Rejected, Positions, Lost, Failed {
    }

    record Train(TopicPartition partition, long offset, Example example) implements Fetched {
    }

    record HeldOut(TopicPartition partition, long offset, Example example) implements Fetched {
    }

    record Rejected(ConsumerRecord<byte[], byte[]> record, Exception error) implements Fetched {
    }

    record Positions(Map<TopicPartition, Long> positions) implements Fetched {
    }

    /** Offsets retention deleted before they were read; reading went on from the earliest available ones. */
    record Lost(List<OffsetGap> gaps) implements Fetched {
    }

    record Failed(Throwable error) implements Fetched {
    }

    /** How the fetcher is set up besides its source. */
    record Options(TrainingMode mode, ExampleDecoder decoder, Map<TopicPartition, Long> replayUntil, int capacity,
                   LostOffsetPolicy onLostOffsets, long partitionRefreshMillis,
                   Consumer<ConsumerRecord<byte[], byte[]>> beforeRecord) {
    }

    private final KafkaRegionSource source;
    private final TrainingMode mode;
    private final ExampleDecoder decoder;
    private final Map<TopicPartition, Long> replayUntil;
    private final BlockingQueue<Fetched> queue;
    private final LostOffsetPolicy onLostOffsets;
    private final long partitionRefreshNanos;
    private final Consumer<ConsumerRecord<byte[], byte[]>> beforeRecord;
    private final AtomicReference<Map<String, Long>> toCommit = new AtomicReference<>();
    private final AtomicLong skippedByMode = new AtomicLong();
    private volatile long lag = -1;
    private volatile boolean stopped;
    private final ForkJoinPool decodePool;

    RecordFetcher(KafkaRegionSource source, Options options) {
        this.source = source;
        this.mode = options.mode();
        this.decoder = options.decoder();
        this.replayUntil = Map.copyOf(options.replayUntil());
        this.queue = new ArrayBlockingQueue<>(options.capacity());
        this.onLostOffsets = options.onLostOffsets();
        this.partitionRefreshNanos = options.partitionRefreshMillis() * 1_000_000L;
        this.beforeRecord = options.beforeRecord();
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
        long lastRefresh = System.nanoTime();
        try {
            while (!stopped) {
                if (System.nanoTime() - lastRefresh > partitionRefreshNanos) {
                    lastRefresh = System.nanoTime();
                    List<TopicPartition> added = source.refreshPartitions();
                    if (!added.isEmpty()) {
                        LOG.info("partitions added to {}: {}; reading them from their beginning", source.topic(),
                                added.stream().map(TopicPartition::partition).toList());
                    }
                }
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = source.poll(POLL);
                } catch (OffsetOutOfRangeException e) {
                    if (!offsetsLost(e.offsetOutOfRangePartitions())) {
                        return;
                    }
                    continue;
                }
                if (beforeRecord != null) {
                    records.forEach(beforeRecord);
                }
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
        } catch (Throwable e) { // an Error too: the training thread must learn of it, never wait forever
            if (!stopped) {
                LOG.error("the fetch thread failed: {}", e.toString());
                put(new Failed(e));
            }
        }
    }

    /** Applies the lost-offsets policy; false when the fetcher is to end. */
    private boolean offsetsLost(Map<TopicPartition, Long> wanted) {
        List<OffsetGap> gaps = OffsetGap.find(wanted, source.earliestOffsets(wanted.keySet()));
        if (gaps.size() < wanted.size()) {
            // an offset past the end of the log (the topic was recreated or truncated): nothing to skip to safely
            put(new Failed(new IllegalStateException("offsets " + wanted + " are out of range of topic " + source.topic()
                    + " but not before its earliest offsets: was the topic recreated?")));
            return false;
        }
        if (onLostOffsets == LostOffsetPolicy.FAIL) {
            put(new Failed(new OffsetGap.LostOffsetsException("while training", gaps)));
            return false;
        }
        source.seekToBeginning(gaps.stream().map(OffsetGap::partition).toList());
        return put(new Lost(gaps));
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
        } catch (RuntimeException e) {
            // anything else one record's bytes provoke (a codec or image library bug) is that record's problem alone
            return replay ? null : new Rejected(r, new ExampleDecoder.InvalidRecordException(
                    "record " + KafkaRegionSource.key(tp) + "@" + r.offset() + " failed to decode: " + e, e));
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
