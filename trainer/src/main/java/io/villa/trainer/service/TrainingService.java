package io.villa.trainer.service;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.villa.kafka.DeadLetters;
import io.villa.records.Split;
import io.villa.records.TrainerEvent;
import io.villa.records.TrainerEventKind;
import io.villa.trainer.checkpoint.CheckpointState;
import io.villa.trainer.checkpoint.CheckpointStore;
import io.villa.trainer.config.LostOffsetPolicy;
import io.villa.trainer.config.TrainerSettings;
import io.villa.trainer.data.Example;
import io.villa.trainer.data.ExampleDecoder;
import io.villa.trainer.eval.RetrievalEvaluator;
import io.villa.trainer.eval.RetrievalReport;
import io.villa.trainer.model.ContrastiveModel;
import io.villa.trainer.text.TokenBudget;

/**
 * The long-running trainer: reads the region-attribute topic, trains on TRAIN records in arrival
 * order (those the mode learns from), keeps VAL and TEST regions for evaluation (never trained on),
 * checkpoints model + optimizer + offsets atomically, and announces each checkpoint.
 *
 * <p>Exactly once: records are handled strictly in offset order per partition. A checkpoint's offset
 * for a partition is that of its oldest record still waiting in the unfinished batch, or the
 * consumer's position when none waits; every record before it was trained on (in a step the
 * checkpoint includes) or was not a training example. Resuming seeks there, so a restart neither
 * skips nor repeats data. Records before the checkpoint are re-read once only to rebuild the
 * held-out sets.
 *
 * <p>No single record stops it: a record over the {@code RecordLimits} or failing to decode, or one that makes a
 * training step fail ({@link IsolatingStep}), goes to the dead-letter topic with the reason and training goes on.
 * Faults that are not a record's end it loudly (the fetch thread failing in any way, offsets lost to retention
 * under {@link LostOffsetPolicy#FAIL}); it never sits idle on a dead feed.
 */
public final class TrainingService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingService.class);
    private static final String STAGE = "trainer.decode";
    private static final String BATCH_STAGE = "trainer.batch";

    private final TrainerSettings settings;
    private final ServiceSettings service;
    private final KafkaRegionSource source;
    private final CheckpointStore store;
    private final TrainerEventSink events;
    private final DeadLetterSink deadLetters;
    private final TrainingListener listener;

    private ContrastiveModel model;
    private RecordFetcher fetcher;
    private IsolatingStep<Pending> isolatingStep;
    private Consumer<ConsumerRecord<byte[], byte[]>> beforeRecord;
    private final Map<TopicPartition, Long> handled = new HashMap<>();
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final List<Example> validation = new ArrayList<>();
    private final List<Example> test = new ArrayList<>();
    private volatile long step;
    private long samplesSeen;
    private long regionsSeen;
    private long lastCheckpointStep = -1;
    private double smoothedLoss = Double.NaN;
    private Map<String, Double> latestMetrics = new LinkedHashMap<>();
    private long rejected;
    private long lostRecords;
    private long firstStepOfRun = -1;
    private long trainNanos;
    private volatile boolean stopRequested;
    private volatile boolean abortRequested;
    private volatile long idleStopOverrideMillis;
    private volatile long idleCountsFromNanos = Long.MIN_VALUE;

    private record Pending(TopicPartition partition, long offset, Example example) {
    }

    /** How a run ended. */
    public record Outcome(long step, long samplesSeen, Map<String, Long> offsets, Optional<RetrievalReport> validation,
                          Optional<RetrievalReport> test, Path lastCheckpoint) {
    }

    public TrainingService(TrainerSettings settings, ServiceSettings service, KafkaRegionSource source, CheckpointStore store,
                           TrainerEventSink events, DeadLetterSink deadLetters, TrainingListener listener) {
        this.settings = settings;
        this.service = service;
        this.source = source;
        this.store = store;
        this.events = events;
        this.deadLetters = deadLetters;
        this.listener = listener;
    }

    /** Asks the loop to finish: train what it can, checkpoint, evaluate on test, return. */
    public void requestStop() {
        stopRequested = true;
    }

    /**
     * From now on, finish once no record arrived for {@code millis} (counted from this call at the earliest):
     * how a runner that knows its upstream has ended lets the trainer drain the topic and stop.
     */
    public void stopWhenIdle(long millis) {
        idleCountsFromNanos = System.nanoTime();
        idleStopOverrideMillis = millis;
    }

    /**
     * Test hook: runs in the fetch thread on every polled record before it is decoded (how tests make that thread
     * fail). Set before {@link #run}.
     */
    void beforeEachRecord(Consumer<ConsumerRecord<byte[], byte[]>> hook) {
        this.beforeRecord = hook;
    }

    /** Steps taken so far (read from other threads for status views). */
    public long step() {
        return step;
    }

    /** Simulates a crash (tests): the loop returns at once, writing nothing more. */
    public void abort() {
        abortRequested = true;
    }

    public Outcome run() throws IOException, InterruptedException {
        Optional<CheckpointStore.Saved> resume = store.latest();
        Map<String, Long> startOffsets = Map.of();
        if (resume.isPresent()) {
            CheckpointState s = resume.get().state();
            LOG.info("resuming from {} (step {}, {} samples)", resume.get().dir().getFileName(), s.step(), s.samplesSeen());
            model = ContrastiveModel.load(resume.get().dir(), settings.device(), service.cpuThreads());
            if (model.settings().mode() != settings.mode()) {
                LOG.warn("checkpoint was trained in mode {}; continuing in that mode, not {}", model.settings().mode(), settings.mode());
            }
            step = s.step();
            lastCheckpointStep = s.step();
            samplesSeen = s.samplesSeen();
            regionsSeen = s.regionsSeen();
            smoothedLoss = s.loss();
            latestMetrics = new LinkedHashMap<>(s.metrics());
            startOffsets = s.offsets();
        } else {
            model = ContrastiveModel.create(settings, service.cpuThreads());
        }
        LOG.info("training {} on {} in mode {}, batch {}", service.modelId(), model.device(), model.settings().mode(),
                model.settings().batchSize());

        List<TopicPartition> partitions = source.assign(Map.of(), Duration.ofMinutes(5));
        Map<TopicPartition, Long> replay = new HashMap<>();
        for (TopicPartition tp : partitions) {
            long from = startOffsets.getOrDefault(KafkaRegionSource.key(tp), 0L);
            replay.put(tp, from);
        }
        if (resume.isPresent()) {
            checkRetention(replay, resume.get().dir());
        }
        handled.putAll(replay);
        source.seekToBeginning(); // records before the checkpoint are re-read for the held-out sets only
        isolatingStep = new IsolatingStep<>(model, TokenBudget.forBatch(model.settings().batchSize(), service.limits().tokens()),
                Pending::example);
        fetcher = new RecordFetcher(source, new RecordFetcher.Options(model.settings().mode(),
                new ExampleDecoder(model.settings().imageSize(), service.limits()), replay,
                Math.max(1024, 8 * model.settings().batchSize()), service.onLostOffsets(), service.partitionRefreshMillis(),
                beforeRecord));
        Thread feeding = new Thread(fetcher, "trainer-fetch");
        feeding.setDaemon(true);
        feeding.start();

        Path last = resume.map(CheckpointStore.Saved::dir).orElse(null);
        long firstStep = step;
        try (ProgressReporter progress = new ProgressReporter(service.progress(), step, regionsSeen, service.maxSteps())) {
            long lastActivity = System.nanoTime();
            long lastProgress = 0;
            while (!stopRequested && !abortRequested && !stepLimitReached()) {
                RecordFetcher.Fetched f = fetcher.queue().poll(100, TimeUnit.MILLISECONDS);
                if (f == null && !feeding.isAlive()) {
                    f = fetcher.queue().poll(); // what it handed over just before it ended, if anything
                    if (f == null) {
                        throw new IllegalStateException("the trainer's fetch thread ended unexpectedly; nothing more can be read from "
                                + service.topic());
                    }
                }
                if (f != null) {
                    lastActivity = System.nanoTime();
                    apply(f);
                }
                long idleStopMillis = idleStopOverrideMillis > 0 ? idleStopOverrideMillis : service.idleStopMillis();
                boolean idle = idleStopMillis > 0
                        && System.nanoTime() - Math.max(lastActivity, idleCountsFromNanos) > idleStopMillis * 1_000_000L;
                while (!abortRequested && !stepLimitReached()
                        && (pending.size() >= model.settings().batchSize() || (idle && pending.size() >= 2))) {
                    last = trainOneBatch(progress).orElse(last);
                }
                if (System.nanoTime() - lastProgress > 200_000_000L) {
                    lastProgress = System.nanoTime();
                    progress.update(step, samplesSeen, regionsSeen, smoothedLoss, fetcher.lag());
                }
                if (idle) {
                    LOG.info("no new records for {} ms: stopping", idleStopMillis);
                    break;
                }
            }
            stopFetching(feeding);
            LOG.info("{} steps this run, {} s of them in training steps", step - firstStep, String.format("%.1f", trainNanos / 1e9));
            if (abortRequested) {
                LOG.warn("aborted at step {} without a final checkpoint", step);
                return new Outcome(step, samplesSeen, safeOffsets(), Optional.empty(), Optional.empty(), last);
            }
            progress.update(step, samplesSeen, regionsSeen, smoothedLoss, fetcher.lag());
            Optional<RetrievalReport> val = evaluate(validation, "val.", progress);
            if (step != lastCheckpointStep) {
                last = checkpoint();
            }
            Optional<RetrievalReport> tst = evaluate(test, "test.", progress);
            tst.ifPresent(r -> LOG.info("test retrieval on {} regions:\n{}", r.regions(), r.table()));
            Map<String, Double> finalMetrics = new LinkedHashMap<>(latestMetrics);
            finalMetrics.put("skippedByMode", (double) fetcher.skippedByMode());
            finalMetrics.put("rejected", (double) rejected);
            finalMetrics.put("lostRecords", (double) lostRecords);
            events.publish(event(TrainerEventKind.FINISHED, finalMetrics, last));
            return new Outcome(step, samplesSeen, safeOffsets(), val, tst, last);
        } finally {
            stopFetching(feeding);
        }
    }

    /**
     * A checkpointed offset before its partition's earliest available one means records were deleted by retention
     * before they were trained on: never a silent reset. Fail, or (skip) go on from the earliest and publish the gap.
     */
    private void checkRetention(Map<TopicPartition, Long> from, Path checkpoint) {
        List<OffsetGap> gaps = OffsetGap.find(from, source.earliestOffsets(from.keySet()));
        if (gaps.isEmpty()) {
            return;
        }
        if (service.onLostOffsets() == LostOffsetPolicy.FAIL) {
            throw new OffsetGap.LostOffsetsException("since checkpoint " + checkpoint.getFileName(), gaps);
        }
        gaps.forEach(g -> from.put(g.partition(), g.earliest()));
        lost(gaps);
    }

    /** Skipped records: a WARN and a METRICS event with the count, in all and per partition. */
    private void lost(List<OffsetGap> gaps) {
        long n = OffsetGap.total(gaps);
        lostRecords += n;
        LOG.warn("{} records of {} were deleted by retention before they were trained on; going on from the earliest available"
                + " offsets (--on-lost-offsets skip): {}", n, service.topic(), OffsetGap.describe(gaps));
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("lostRecords", (double) n);
        gaps.forEach(g -> metrics.put("lostRecords." + KafkaRegionSource.key(g.partition()), (double) g.lost()));
        events.publish(event(TrainerEventKind.METRICS, metrics, null));
    }

    private void stopFetching(Thread feeding) throws InterruptedException {
        fetcher.stop();
        feeding.join(10_000);
    }

    private boolean stepLimitReached() {
        return service.maxSteps() > 0 && step >= service.maxSteps();
    }

    /** Applies one fetched item, in offset order. */
    private void apply(RecordFetcher.Fetched f) {
        if (f instanceof RecordFetcher.Train t) {
            pending.add(new Pending(t.partition(), t.offset(), t.example()));
            handled.merge(t.partition(), t.offset() + 1, Math::max);
        } else if (f instanceof RecordFetcher.HeldOut h) {
            keep(h.example().split() == Split.TEST ? test : validation, h.example());
            handled.merge(h.partition(), h.offset() + 1, Math::max);
        } else if (f instanceof RecordFetcher.Rejected r) {
            reject(r.record(), r.error());
            handled.merge(new TopicPartition(r.record().topic(), r.record().partition()), r.record().offset() + 1, Math::max);
        } else if (f instanceof RecordFetcher.Positions p) {
            p.positions().forEach((tp, o) -> handled.merge(tp, o, Math::max));
        } else if (f instanceof RecordFetcher.Lost l) {
            lost(l.gaps());
        } else if (f instanceof RecordFetcher.Failed failed) {
            if (failed.error() instanceof OffsetGap.LostOffsetsException lostOffsets) {
                throw lostOffsets;
            }
            throw new IllegalStateException("the trainer's fetch thread failed reading " + service.topic() + ": "
                    + failed.error(), failed.error());
        }
    }

    private void keep(List<Example> set, Example e) {
        if (set.size() < service.maxHeldOut()) {
            set.add(e);
        }
    }

    private void reject(ConsumerRecord<byte[], byte[]> r, Exception e) {
        rejected++;
        LOG.warn("dead-lettering {}:{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
        deadLetters.send(DeadLetters.forRecord(STAGE, r.topic(), r.partition(), r.offset(), r.key(), r.value(), e));
    }

    /** Dead-letters a record a batch could not train with; it points at the record (the batch keeps no raw bytes). */
    private void rejectFromBatch(Pending p, RuntimeException reason) {
        rejected++;
        LOG.warn("dead-lettering {}@{} ({}) from its batch: {}", KafkaRegionSource.key(p.partition()), p.offset(), p.example().key(),
                reason.getMessage());
        deadLetters.send(DeadLetters.forRecord(BATCH_STAGE, p.partition().topic(), p.partition().partition(), p.offset(), null,
                null, reason));
    }

    private Optional<Path> trainOneBatch(ProgressReporter progress) throws IOException {
        int n = Math.min(pending.size(), model.settings().batchSize());
        List<Pending> taken = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            taken.add(pending.poll());
        }
        long t0 = System.nanoTime();
        IsolatingStep.Result<Pending> result = isolatingStep.train(taken);
        trainNanos += System.nanoTime() - t0;
        result.poisoned().forEach(p -> rejectFromBatch(p.item(), p.reason()));
        if (result.trained().isEmpty()) {
            List<Pending> left = result.leftOver();
            for (int i = left.size() - 1; i >= 0; i--) {
                pending.addFirst(left.get(i)); // still the oldest: waits for the next batch
            }
            return Optional.empty();
        }
        List<Example> batch = result.trained().stream().map(Pending::example).toList();
        float loss = result.loss();
        n = batch.size();
        if (firstStepOfRun < 0) {
            firstStepOfRun = step + 1;
            LOG.info("training: first step of this run is step {} ({} samples trained before it)", firstStepOfRun, samplesSeen);
        }
        step++;
        samplesSeen += n;
        regionsSeen += batch.stream().filter(e -> !e.wholeImage()).count();
        smoothedLoss = Double.isNaN(smoothedLoss) ? loss : 0.95 * smoothedLoss + 0.05 * loss;
        listener.onStep(step, loss, batch.stream().map(Example::key).toList());
        if (service.evalEvery() > 0 && step % service.evalEvery() == 0) {
            evaluate(validation, "val.", progress);
        }
        if (step % service.checkpointEvery() == 0 && !abortRequested) {
            return Optional.of(checkpoint());
        }
        return Optional.empty();
    }

    private Optional<RetrievalReport> evaluate(List<Example> heldOut, String prefix, ProgressReporter progress) {
        if (heldOut.isEmpty()) {
            return Optional.empty();
        }
        RetrievalReport report = RetrievalEvaluator.evaluate(model, heldOut);
        latestMetrics.putAll(report.metrics(prefix));
        if (prefix.equals("val.")) {
            progress.evaluated(String.format(java.util.Locale.ROOT, "t2r R-P %.3f r2t R-P %.3f",
                    report.get(RetrievalReport.T2R_RPREC), report.get(RetrievalReport.R2T_RPREC)));
        }
        events.publish(event(TrainerEventKind.METRICS, report.metrics(prefix), null));
        return Optional.of(report);
    }

    private Path checkpoint() throws IOException {
        Map<String, Long> offsets = safeOffsets();
        CheckpointState state = new CheckpointState(step, samplesSeen, regionsSeen, offsets, smoothedLoss,
                latestMetrics, System.currentTimeMillis());
        Path dir = store.save(model, state);
        lastCheckpointStep = step;
        store.offerBest(dir, latestMetrics.getOrDefault("val." + RetrievalReport.T2R_RPREC, Double.NaN));
        fetcher.commitLater(offsets);
        events.publish(event(TrainerEventKind.CHECKPOINT, latestMetrics, dir));
        LOG.info("checkpoint {} at step {} ({} samples)", dir.getFileName(), step, samplesSeen);
        return dir;
    }

    /**
     * Per partition: the oldest record still waiting in the unfinished batch, else how far the fetched
     * stream has been handled (see class doc).
     */
    Map<String, Long> safeOffsets() {
        Map<String, Long> out = new TreeMap<>();
        handled.forEach((tp, o) -> out.put(KafkaRegionSource.key(tp), o));
        Map<String, Long> oldestPending = new HashMap<>();
        for (Pending p : pending) {
            oldestPending.putIfAbsent(KafkaRegionSource.key(p.partition()), p.offset());
        }
        out.putAll(oldestPending);
        return out;
    }

    private TrainerEvent event(TrainerEventKind kind, Map<String, Double> metrics, Path location) {
        Map<String, Double> m = new LinkedHashMap<>();
        metrics.forEach((k, v) -> {
            if (!Double.isNaN(v)) {
                m.put(k, v);
            }
        });
        return TrainerEvent.newBuilder()
                .setModelId(service.modelId())
                .setModelVersion(step)
                .setKind(kind)
                .setStep(step)
                .setSamplesSeen(samplesSeen)
                .setLoss(Double.isNaN(smoothedLoss) ? null : smoothedLoss)
                .setMetrics(m)
                .setCheckpointLocation(location == null ? null : location.toAbsolutePath().toString())
                .setTime(Instant.now())
                .build();
    }

    public List<Example> validationSet() {
        return validation;
    }

    @Override
    public void close() {
        if (model != null) {
            model.close();
        }
    }
}
