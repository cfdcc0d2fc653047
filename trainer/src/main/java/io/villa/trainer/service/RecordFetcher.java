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
import java.util.concurrent.LinkedBlockingQueue;
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
import io.villa.trainer.data.DecodedRecord;
import io.villa.trainer.data.ExampleDecoder;

/**
 * The trainer's feeding thread: owns the Kafka consumer, polls, decodes (Avro; a whole-image record's PNG) and
 * hands the training thread what matters, in offset order, through a bounded queue, so consuming and
 * decoding overlap with training instead of stalling it.
 *
 * <p>Handed over: decoded TRAIN records the mode learns from, held-out (VAL/TEST) regions with ground truth and
 * held-out whole images (their pixels), rejected records (for the dead-letter topic), and after each poll the
 * consumer positions ({@link Positions}: they move past transaction markers that carry no record). Not handed
 * over: records the mode does not learn from and TRAIN records before the checkpoint (replayed only to rebuild the
 * held-out sets); re-reading those after a restart is harmless.
 *
 * <p>Passes over a bounded topic: {@link #endPass} (pass 1, when the stream ran dry) fixes the bound at the current
 * positions; in a replayed pass the fetcher reads up to the bound. Either way it then hands over {@link PassEnd} and
 * waits for {@link #rewind} (the next pass: from the start again, training records only, no dead letters, since
 * pass 1 sent them) or {@link #stop}. Positions never pass the bound, so a checkpoint never skips what lies beyond.
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
    sealed interface Fetched permits Decoded, Rejected, Positions, Lost, Failed, PassEnd {}

    /** A record to join with its pair's image (training or held-out, by its split). */
    record Decoded(TopicPartition partition, long offset, DecodedRecord record) implements Fetched {}

    /** Everything before {@code end} was handed over; the pass is complete. */
    record PassEnd(Map<TopicPartition, Long> end) implements Fetched {}

    record Rejected(ConsumerRecord<byte[], byte[]> record, Exception error) implements Fetched {}

    record Positions(Map<TopicPartition, Long> positions) implements Fetched {}

    /** Offsets retention deleted before they were read; reading went on from the earliest available ones. */
    record Lost(List<OffsetGap> gaps) implements Fetched {}

    record Failed(Throwable error) implements Fetched {}

    /**
     * How the fetcher is set up besides its source.
     *
     * @param passEnd      where a replayed pass ends (resuming one), or null: pass 1, the stream as it comes
     * @param deadLetters  whether rejected records are handed over (false in replayed passes: pass 1 did)
     * @param gate         when decoding must wait for the gap between training steps
     */
    record Options(
            TrainingMode mode,
            ExampleDecoder decoder,
            Map<TopicPartition, Long> replayUntil,
            int capacity,
            LostOffsetPolicy onLostOffsets,
            long partitionRefreshMillis,
            Consumer<ConsumerRecord<byte[], byte[]>> beforeRecord,
            Map<TopicPartition, Long> passEnd,
            boolean deadLetters,
            StepGate gate) {}

    private final KafkaRegionSource source;
    private final TrainingMode mode;
    private final ExampleDecoder decoder;
    private volatile Map<TopicPartition, Long> replayUntil;
    private final BlockingQueue<Fetched> queue;
    private final BlockingQueue<Runnable> commands = new LinkedBlockingQueue<>(); // run by the fetch thread
    private Map<TopicPartition, Long> passEnd;
    private volatile boolean collectHeldOut = true;
    private volatile boolean deadLetters;
    private boolean awaitingRewind;
    private final LostOffsetPolicy onLostOffsets;
    private final long partitionRefreshNanos;
    private final Consumer<ConsumerRecord<byte[], byte[]>> beforeRecord;
    private final AtomicReference<Map<String, Long>> toCommit = new AtomicReference<>();
    private final AtomicLong skippedByMode = new AtomicLong();
    private final AtomicLong decoded = new AtomicLong();
    private volatile long lag = -1;
    private volatile boolean stopped;
    private final ForkJoinPool decodePool;
    private final StepGate gate;

    RecordFetcher(KafkaRegionSource source, Options options) {
        this.source = source;
        this.mode = options.mode();
        this.decoder = options.decoder();
        this.replayUntil = Map.copyOf(options.replayUntil());
        this.queue = new ArrayBlockingQueue<>(options.capacity());
        this.onLostOffsets = options.onLostOffsets();
        this.partitionRefreshNanos = options.partitionRefreshMillis() * 1_000_000L;
        this.beforeRecord = options.beforeRecord();
        this.passEnd = options.passEnd() == null ? null : Map.copyOf(options.passEnd());
        this.deadLetters = options.deadLetters();
        this.gate = options.gate();
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

    /** Pass 1 is over (the stream ran dry): hand over {@link PassEnd} at the current positions, then wait. */
    void endPass() {
        commands.add(() -> {
            Map<TopicPartition, Long> end = new HashMap<>();
            source.partitions().forEach(tp -> end.put(tp, source.position(tp)));
            passEnd = Map.copyOf(end);
            handOverPassEnd();
        });
    }

    /** The next pass: read from {@code start} to {@code end} again, training records only. */
    void rewind(Map<TopicPartition, Long> start, Map<TopicPartition, Long> end) {
        commands.add(() -> {
            passEnd = Map.copyOf(end);
            replayUntil = Map.of();
            collectHeldOut = false;
            deadLetters = false;
            awaitingRewind = false;
            source.resumeAll();
            source.partitions().forEach(tp -> source.seek(tp, start.getOrDefault(tp, 0L)));
        });
    }

    private void handOverPassEnd() {
        put(new PassEnd(passEnd));
        awaitingRewind = true;
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
                Runnable command = awaitingRewind ? commands.poll(100, TimeUnit.MILLISECONDS) : commands.poll();
                if (command != null) {
                    command.run();
                    lastPositions = new HashMap<>();
                    continue;
                }
                if (awaitingRewind) {
                    continue;
                }
                if (System.nanoTime() - lastRefresh > partitionRefreshNanos) {
                    lastRefresh = System.nanoTime();
                    List<TopicPartition> added = source.refreshPartitions();
                    if (!added.isEmpty()) {
                        LOG.info(
                                "partitions added to {}: {}; reading them from their beginning",
                                source.topic(),
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
                Map<TopicPartition, Long> positions = positions();
                if (!positions.equals(lastPositions)) {
                    lastPositions = positions;
                    if (!put(new Positions(positions))) {
                        return;
                    }
                }
                if (passEnd != null && positions.entrySet().stream().allMatch(e -> e.getValue() >= bound(e.getKey()))) {
                    handOverPassEnd();
                }
                lag = source.lag();
                Map<String, Long> commit = toCommit.getAndSet(null);
                if (commit != null) {
                    source.commitForMonitoring(commit);
                }
            }
        } catch (WakeupException e) {
            // stop() woke the poll up
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) { // an Error too: the training thread must learn of it, never wait forever
            if (!stopped) {
                LOG.error("the fetch thread failed: {}", e.toString());
                put(new Failed(e));
            }
        } finally {
            // what feeding cost: the CPU this thread took from training (it shares the cores with PyTorch)
            LOG.info(
                    "fetch thread: {} records decoded, {} s of CPU ({} us a record)",
                    decoded.get(),
                    String.format("%.2f", cpuNanos() / 1e9),
                    decoded.get() == 0 ? "-" : String.format("%.0f", cpuNanos() / 1e3 / decoded.get()));
        }
    }

    private static long cpuNanos() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        return threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : 0;
    }

    /** Where a replayed pass ends on a partition (a partition added since pass 1 is not part of it). */
    private long bound(TopicPartition tp) {
        return passEnd.getOrDefault(tp, 0L);
    }

    /** The consumer's positions, never past the pass's end; partitions that reached it are paused. */
    private Map<TopicPartition, Long> positions() {
        Map<TopicPartition, Long> out = new HashMap<>();
        for (TopicPartition tp : source.partitions()) {
            long position = source.position(tp);
            if (passEnd != null && position >= bound(tp)) {
                source.pause(tp);
                position = Math.min(position, bound(tp));
            }
            out.put(tp, position);
        }
        return out;
    }

    /** Applies the lost-offsets policy; false when the fetcher is to end. */
    private boolean offsetsLost(Map<TopicPartition, Long> wanted) {
        List<OffsetGap> gaps = OffsetGap.find(wanted, source.earliestOffsets(wanted.keySet()));
        if (gaps.size() < wanted.size()) {
            // an offset past the end of the log (the topic was recreated or truncated): nothing to skip to safely
            put(new Failed(new IllegalStateException("offsets " + wanted + " are out of range of topic "
                    + source.topic() + " but not before its earliest offsets: was the topic recreated?")));
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
            Fetched[] out = new Fetched[list.size()];
            for (int i = 0; i < out.length; i++) {
                try {
                    gate.awaitBetweenSteps(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new WakeupException();
                }
                out[i] = classify(list.get(i));
            }
            return out;
        }
        try {
            return decodePool
                    .submit(() -> list.parallelStream().map(this::classify).toArray(Fetched[]::new))
                    .get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        }
    }

    private Fetched classify(ConsumerRecord<byte[], byte[]> r) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        if (passEnd != null && r.offset() >= bound(tp)) {
            return null; // beyond the bounded data: read by a later run, not by this replay
        }
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
            } else if (!collectHeldOut || (!record.getWholeImage() && record.getGroundTruth() == null)) {
                return null; // held-out sets are built once; evaluation ranks regions against their ground truth
            }
            Decoded d = new Decoded(tp, r.offset(), decoder.decode(record));
            decoded.incrementAndGet();
            return d;
        } catch (RecordDecodingException | ExampleDecoder.InvalidRecordException e) {
            return replay || !deadLetters ? null : new Rejected(r, e);
        } catch (RuntimeException e) {
            // anything else one record's bytes provoke (a codec or image library bug) is that record's problem alone
            return replay || !deadLetters
                    ? null
                    : new Rejected(
                            r,
                            new ExampleDecoder.InvalidRecordException(
                                    "record " + KafkaRegionSource.key(tp) + "@" + r.offset() + " failed to decode: "
                                            + e,
                                    e));
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
