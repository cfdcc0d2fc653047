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

import org.apache.flink.annotation.VisibleForTesting;
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
import io.villa.trainer.checkpoint.PassState;
import io.villa.trainer.config.LostOffsetPolicy;
import io.villa.trainer.config.TrainerConfig;
import io.villa.trainer.data.Example;
import io.villa.trainer.data.ExampleDecoder;
import io.villa.trainer.data.PairAssembler;
import io.villa.trainer.device.DeviceMemory;
import io.villa.trainer.eval.RetrievalEvaluator;
import io.villa.trainer.eval.RetrievalReport;
import io.villa.trainer.model.ContrastiveModel;
import io.villa.trainer.text.TokenBudget;

/**
 * The long-running trainer: reads the region-attribute topic, joins each region record with its pair's whole image
 * ({@link PairAssembler}), trains on TRAIN examples in arrival order (those the mode learns from), keeps VAL and TEST
 * regions for evaluation (never trained on), checkpoints model + optimizer + offsets atomically, and announces each
 * checkpoint.
 *
 * <p>Exactly once: records are handled strictly in offset order per partition, and the assembler releases them in that
 * order. A checkpoint's offset for a partition is that of its oldest training record still waiting (for its whole
 * image, or in the unfinished batch), or the consumer's position when none waits; every record before it was trained
 * on (in a step the checkpoint includes) or was not a training example. Resuming seeks there, so a restart neither
 * skips nor repeats data. Records before the checkpoint are re-read once only to rebuild the held-out sets.
 *
 * <p>Passes ({@link io.villa.trainer.config.PassPlan}): with more than one, pass 1 ends when the topic has been idle
 * (the stream ran dry), which fixes the bounded data; every further pass re-reads the same offsets. Each pass ends
 * with a validation evaluation and a checkpoint; early stopping on text->region R-precision ends the run, and the
 * final evaluation uses the best pass's checkpoint. With one pass it streams, as it comes, until stopped.
 *
 * <p>No single record stops it: a record over the {@code RecordLimits} or failing to decode, a region whose whole
 * image does not follow within the bound, or one that makes a training step fail ({@link IsolatingStep}), goes to the
 * dead-letter topic with the reason and training goes on. Faults that are not a record's end it loudly (the fetch
 * thread failing in any way, offsets lost to retention under {@link LostOffsetPolicy#FAIL}); it never sits idle on a
 * dead feed.
 */
public final class TrainingService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingService.class);
    private static final String STAGE = "trainer.decode";
    private static final String ASSEMBLE_STAGE = "trainer.assemble";
    private static final String BATCH_STAGE = "trainer.batch";

    private final TrainerConfig settings;
    private final ServiceConfig service;
    private final KafkaRegionSource source;
    private final CheckpointStore store;
    private final TrainerEventSink events;
    private final DeadLetterSink deadLetters;
    private final TrainingListener listener;

    private ContrastiveModel model;
    private RecordFetcher fetcher;
    private IsolatingStep<Pending> isolatingStep;
    private PairAssembler<TopicPartition> assembler;
    private PassTracker passes;
    private StepGate gate = StepGate.open();
    private Consumer<ConsumerRecord<byte[], byte[]>> beforeRecord;
    private final Map<TopicPartition, Long> handled = new HashMap<>();
    private final Map<TopicPartition, Long> replayUntil = new HashMap<>();
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final List<Example> validation = new ArrayList<>();
    private final List<Example> test = new ArrayList<>();
    private volatile long step;
    private long samplesSeen;
    private long regionsSeen;
    private long lastCheckpointStep = -1;
    private long validatedAtStep = -1;
    private double smoothedLoss = Double.NaN;
    private Map<String, Double> latestMetrics = new LinkedHashMap<>();
    private long rejected;
    private long lostRecords;
    private long firstStepOfRun = -1;
    private long trainNanos;
    private DeviceMemory deviceMemory;
    private Map<TopicPartition, Long> passEndReached;
    private volatile boolean stopRequested;
    private volatile boolean abortRequested;
    private volatile long idleStopOverrideMillis;
    private volatile long idleCountsFromNanos = Long.MIN_VALUE;

    private record Pending(TopicPartition partition, long offset, Example example) {}

    /**
     * How a run ended.
     *
     * @param passes       passes completed (0 while still in a pass that did not end)
     * @param bestPass     the pass whose model the final evaluation used (0: the model as it ended, e.g. streaming)
     * @param stoppedEarly whether early stopping ended the passes
     */
    public record Outcome(
            long step,
            long samplesSeen,
            Map<String, Long> offsets,
            Optional<RetrievalReport> validation,
            Optional<RetrievalReport> test,
            Path lastCheckpoint,
            int passes,
            int bestPass,
            boolean stoppedEarly) {}

    public TrainingService(
            TrainerConfig settings,
            ServiceConfig service,
            KafkaRegionSource source,
            CheckpointStore store,
            TrainerEventSink events,
            DeadLetterSink deadLetters,
            TrainingListener listener) {
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
     * From now on, treat {@code millis} without a new record as the end of the stream (counted from this call at the
     * earliest): stop, or with several passes end pass 1. How a runner that knows its upstream has ended lets the
     * trainer drain the topic.
     */
    public void stopWhenIdle(long millis) {
        idleCountsFromNanos = System.nanoTime();
        idleStopOverrideMillis = millis;
    }

    /**
     * Runs in the fetch thread on every polled record before it is decoded (how tests make that thread fail). Set
     * before {@link #run}.
     */
    @VisibleForTesting
    void beforeEachRecord(Consumer<ConsumerRecord<byte[], byte[]>> hook) {
        this.beforeRecord = hook;
    }

    /** Steps taken so far (read from other threads for status views). */
    public long step() {
        return step;
    }

    /** Simulates a crash: the loop returns at once, writing nothing more. */
    @VisibleForTesting
    public void abort() {
        abortRequested = true;
    }

    public Outcome run() throws IOException, InterruptedException {
        Optional<CheckpointStore.Saved> resume = store.latest();
        Map<String, Long> startOffsets = Map.of();
        PassState passState = PassState.initial();
        if (resume.isPresent()) {
            CheckpointState s = resume.get().state();
            LOG.info(
                    "resuming from {} (step {}, {} samples, pass {})",
                    resume.get().dir().getFileName(),
                    s.step(),
                    s.samplesSeen(),
                    s.passes().pass());
            model = ContrastiveModel.load(resume.get().dir(), settings.device(), service.cpuThreads());
            if (model.config().mode() != settings.mode()) {
                LOG.warn(
                        "checkpoint was trained in mode {}; continuing in that mode, not {}",
                        model.config().mode(),
                        settings.mode());
            }
            step = s.step();
            lastCheckpointStep = s.step();
            samplesSeen = s.samplesSeen();
            regionsSeen = s.regionsSeen();
            smoothedLoss = s.loss();
            latestMetrics = new LinkedHashMap<>(s.metrics());
            startOffsets = s.offsets();
            passState = s.passes();
        } else {
            model = ContrastiveModel.create(settings, service.cpuThreads());
        }
        deviceMemory = DeviceMemory.of(model.device());
        LOG.info(
                "training {} on {} ({}) in mode {}, batch {}, {} pass(es)",
                service.modelId(),
                model.device(),
                deviceMemory.read().describe(),
                model.config().mode(),
                model.config().batchSize(),
                service.passes().passes());

        List<TopicPartition> partitions = source.assign(Map.of(), Duration.ofMinutes(5));
        for (TopicPartition tp : partitions) {
            replayUntil.put(tp, startOffsets.getOrDefault(KafkaRegionSource.key(tp), 0L));
        }
        if (resume.isPresent()) {
            checkRetention(replayUntil, resume.get().dir());
        }
        handled.putAll(replayUntil);
        passes = PassTracker.resume(service.passes(), passState, replayUntil, partitions);
        assembler = new PairAssembler<>(service.maxPairWait());
        source.seekToBeginning(); // records before the checkpoint are re-read for the held-out sets only
        gate = StepGate.of(!model.device().isGpu(), service.cpuThreads());
        if (gate.active()) {
            LOG.info("PyTorch computes on every core: the fetch thread decodes between training steps");
        }
        isolatingStep = new IsolatingStep<>(
                model,
                TokenBudget.forBatch(
                        model.config().batchSize(), service.limits().tokens()),
                Pending::example);
        fetcher = new RecordFetcher(
                source,
                new RecordFetcher.Options(
                        model.config().mode(),
                        new ExampleDecoder(model.config().imageSize(), service.limits()),
                        replayUntil,
                        Math.max(1024, 8 * model.config().batchSize()),
                        service.onLostOffsets(),
                        service.partitionRefreshMillis(),
                        beforeRecord,
                        passes.end(),
                        passes.pass() == 1,
                        gate));
        Thread feeding = new Thread(fetcher, "trainer-fetch");
        feeding.setDaemon(true);
        feeding.start();

        Path last = resume.map(CheckpointStore.Saved::dir).orElse(null);
        long firstStep = step;
        try (ProgressReporter progress =
                new ProgressReporter(service.progress(), step, regionsSeen, service.maxSteps())) {
            boolean heldOutOnly = passes.finished(); // then the topic is read only to rebuild the held-out sets
            if (heldOutOnly) {
                LOG.info(
                        "all passes were trained already ({} passes, best pass {}): evaluating only",
                        passes.passesDone(),
                        passes.bestPass());
            }
            long lastActivity = System.nanoTime();
            long lastProgress = 0;
            boolean passEndAsked = false;
            List<RecordFetcher.Fetched> drained = new ArrayList<>();
            while ((heldOutOnly || !passes.finished()) && !stopRequested && !abortRequested && !stepLimitReached()) {
                RecordFetcher.Fetched f = fetcher.queue().poll(100, TimeUnit.MILLISECONDS);
                if (f == null && !feeding.isAlive()) {
                    f = fetcher.queue().poll(); // what it handed over just before it ended, if anything
                    if (f == null) {
                        throw new IllegalStateException(
                                "the trainer's fetch thread ended unexpectedly; nothing more can be read from "
                                        + service.topic());
                    }
                }
                if (f != null) {
                    lastActivity = System.nanoTime();
                    apply(f);
                    // and whatever else is there, in one go: one hand-over per batch rather than per record
                    drained.clear();
                    fetcher.queue().drainTo(drained, 2 * model.config().batchSize());
                    for (RecordFetcher.Fetched more : drained) {
                        apply(more);
                    }
                }
                long idleStopMillis = idleStopOverrideMillis > 0 ? idleStopOverrideMillis : service.idleStopMillis();
                boolean idle = !passes.bounded()
                        && idleStopMillis > 0
                        && System.nanoTime() - Math.max(lastActivity, idleCountsFromNanos)
                                > idleStopMillis * 1_000_000L;
                while (!abortRequested
                        && !stepLimitReached()
                        && (pending.size() >= model.config().batchSize() || (idle && pending.size() >= 2))) {
                    last = trainOneBatch(progress).orElse(last);
                }
                if (System.nanoTime() - lastProgress > 200_000_000L) {
                    lastProgress = System.nanoTime();
                    // also how a GPU's peak is caught: it is the highest of these readings
                    progress.device(model.device() + " " + deviceMemory.read().describe());
                    progress.update(step, samplesSeen, regionsSeen, smoothedLoss, fetcher.lag());
                }
                if (passEndReached != null && heldOutOnly) {
                    break;
                } else if (passEndReached != null) {
                    last = endPass(progress).orElse(last);
                    passEndAsked = false;
                } else if (idle && !passes.replays()) {
                    LOG.info("no new records for {} ms: stopping", idleStopMillis);
                    break;
                } else if (idle && !passEndAsked) {
                    LOG.info(
                            "no new records for {} ms: pass 1 ends here; the records read so far are the data of every pass",
                            idleStopMillis);
                    fetcher.endPass();
                    passEndAsked = true;
                }
            }
            stopFetching(feeding);
            LOG.info(
                    "{} steps this run, {} s of them in training steps; {} {}",
                    step - firstStep,
                    String.format("%.1f", trainNanos / 1e9),
                    model.device(),
                    deviceMemory.read().describe());
            if (abortRequested) {
                LOG.warn("aborted at step {} without a final checkpoint", step);
                return outcome(Optional.empty(), Optional.empty(), last, 0);
            }
            progress.update(step, samplesSeen, regionsSeen, smoothedLoss, fetcher.lag());
            Optional<RetrievalReport> val = Optional.empty();
            if (step != lastCheckpointStep) {
                val = evaluate(model, validation, "val.", progress);
                last = checkpoint();
            }
            return finish(progress, last, val);
        } finally {
            stopFetching(feeding);
        }
    }

    /**
     * The final evaluation, with the best pass's model where passes picked one, and the FINISHED event.
     *
     * @param val the current model's validation report, when it was just evaluated
     */
    private Outcome finish(ProgressReporter progress, Path last, Optional<RetrievalReport> val) throws IOException {
        int bestPass = passes.replays() ? passes.bestPass() : 0;
        Optional<Path> best = bestPass > 0 ? store.best() : Optional.empty();
        Optional<RetrievalReport> tst;
        if (best.isPresent() && !best.get().equals(last)) {
            LOG.info(
                    "final evaluation with the best pass's model ({}, pass {})",
                    best.get().getFileName(),
                    bestPass);
            try (ContrastiveModel bestModel =
                    ContrastiveModel.load(best.get(), settings.device(), service.cpuThreads())) {
                val = evaluate(bestModel, validation, "val.", progress);
                tst = evaluate(bestModel, test, "test.", progress);
            }
        } else {
            if (val.isEmpty()) {
                val = evaluate(model, validation, "val.", progress);
            }
            tst = evaluate(model, test, "test.", progress);
        }
        tst.ifPresent(r -> LOG.info("test retrieval on {} regions:\n{}", r.regions(), r.table()));
        Map<String, Double> finalMetrics = new LinkedHashMap<>(latestMetrics);
        finalMetrics.put("skippedByMode", (double) fetcher.skippedByMode());
        finalMetrics.put("rejected", (double) rejected);
        finalMetrics.put("lostRecords", (double) lostRecords);
        finalMetrics.put("passes", (double) passes.passesDone());
        finalMetrics.put("bestPass", (double) bestPass);
        events.publish(event(TrainerEventKind.FINISHED, finalMetrics, last));
        return outcome(val, tst, last, bestPass);
    }

    private Outcome outcome(Optional<RetrievalReport> val, Optional<RetrievalReport> tst, Path last, int bestPass) {
        return new Outcome(
                step, samplesSeen, safeOffsets(), val, tst, last, passes.passesDone(), bestPass, passes.stoppedEarly());
    }

    /**
     * A pass ended (the fetcher handed over everything before its end): the last waiting records and the last partial
     * batch are settled, validation decides early stopping, a checkpoint records where the next pass starts (or that all
     * are done), and the fetcher rewinds.
     */
    private Optional<Path> endPass(ProgressReporter progress) throws IOException {
        Map<TopicPartition, Long> end = passEndReached;
        passEndReached = null;
        int pass = passes.pass();
        assembler.drain().forEach(this::applyAssembled); // a pair still waiting will not complete in this data
        while (pending.size() >= 2 && !abortRequested && !stepLimitReached()) {
            trainOneBatch(progress);
        }
        if (pending.size() == 1) {
            LOG.info(
                    "pass {}: one example left over without a partner for a contrastive step; it comes again next pass",
                    pass);
            pending.clear();
        }
        Optional<RetrievalReport> val = evaluate(model, validation, "val.", progress);
        double metric = val.map(r -> r.get(RetrievalReport.T2R_RPREC)).orElse(Double.NaN);
        boolean improved = passes.ended(end, metric);
        LOG.info(
                "pass {} ended at step {}: validation t2r R-precision {}{}",
                pass,
                step,
                String.format("%.4f", metric),
                improved ? " (best so far)" : ", best pass " + passes.bestPass());
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("pass", (double) pass);
        m.put("pass.val." + RetrievalReport.T2R_RPREC, metric);
        events.publish(event(TrainerEventKind.METRICS, m, null));
        if (!passes.finished()) {
            handled.clear();
            handled.putAll(passes.start()); // the checkpoint below resumes at the start of the next pass
            replayUntil.clear();
        }
        Path dir = checkpoint();
        if (improved) {
            store.offerBest(dir, metric);
        }
        if (passes.finished()) {
            LOG.info(
                    "passes done: {} of {}{}, best pass {}",
                    passes.passesDone(),
                    service.passes().passes(),
                    passes.stoppedEarly()
                            ? " (early stopping, patience " + service.passes().patience() + ")"
                            : "",
                    passes.bestPass());
        } else {
            fetcher.rewind(passes.start(), passes.end());
        }
        return Optional.of(dir);
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
        LOG.warn(
                "{} records of {} were deleted by retention before they were trained on; going on from the earliest available"
                        + " offsets (--on-lost-offsets skip): {}",
                n,
                service.topic(),
                OffsetGap.describe(gaps));
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
        if (f instanceof RecordFetcher.Decoded d) {
            assembler.add(d.partition(), d.offset(), d.record()).forEach(this::applyAssembled);
            handled.merge(d.partition(), d.offset() + 1, Math::max);
        } else if (f instanceof RecordFetcher.Rejected r) {
            reject(r.record(), r.error());
            handled.merge(
                    new TopicPartition(r.record().topic(), r.record().partition()),
                    r.record().offset() + 1,
                    Math::max);
        } else if (f instanceof RecordFetcher.Positions p) {
            p.positions().forEach((tp, o) -> handled.merge(tp, o, Math::max));
        } else if (f instanceof RecordFetcher.PassEnd e) {
            e.end().forEach((tp, o) -> handled.merge(tp, o, Math::max));
            passEndReached = e.end();
        } else if (f instanceof RecordFetcher.Lost l) {
            lost(l.gaps());
        } else if (f instanceof RecordFetcher.Failed failed) {
            if (failed.error() instanceof OffsetGap.LostOffsetsException lostOffsets) {
                throw lostOffsets;
            }
            throw new IllegalStateException(
                    "the trainer's fetch thread failed reading " + service.topic() + ": " + failed.error(),
                    failed.error());
        }
    }

    /** An example joined with its image goes to training or to its held-out set; a record that cannot be one, away. */
    private void applyAssembled(PairAssembler.Output<TopicPartition> out) {
        if (out instanceof PairAssembler.Ready<TopicPartition> ready) {
            Example e = ready.example();
            if (e.split() == Split.TRAIN) {
                pending.add(new Pending(ready.partition(), ready.offset(), e));
            } else {
                keep(e.split() == Split.TEST ? test : validation, e);
            }
        } else if (out instanceof PairAssembler.Failed<TopicPartition> failed) {
            // dead letters go out on the first read of a record only: not again for a replayed pass or re-read held-out
            // data
            if (passes.pass() == 1 && failed.offset() >= replayUntil.getOrDefault(failed.partition(), 0L)) {
                rejected++;
                LOG.warn(
                        "dead-lettering {}@{}: {}",
                        KafkaRegionSource.key(failed.partition()),
                        failed.offset(),
                        failed.reason());
                deadLetters.send(DeadLetters.forRecord(
                        ASSEMBLE_STAGE,
                        failed.partition().topic(),
                        failed.partition().partition(),
                        failed.offset(),
                        null,
                        null,
                        new ExampleDecoder.InvalidRecordException(failed.reason())));
            }
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
        LOG.warn(
                "dead-lettering {}@{} ({}) from its batch: {}",
                KafkaRegionSource.key(p.partition()),
                p.offset(),
                p.example().key(),
                reason.getMessage());
        deadLetters.send(DeadLetters.forRecord(
                BATCH_STAGE, p.partition().topic(), p.partition().partition(), p.offset(), null, null, reason));
    }

    private Optional<Path> trainOneBatch(ProgressReporter progress) throws IOException {
        int n = Math.min(pending.size(), model.config().batchSize());
        List<Pending> taken = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            taken.add(pending.poll());
        }
        long t0 = System.nanoTime();
        IsolatingStep.Result<Pending> result;
        gate.stepping(true);
        try {
            result = isolatingStep.train(taken);
        } finally {
            gate.stepping(false);
        }
        trainNanos += System.nanoTime() - t0;
        result.poisoned().forEach(p -> {
            if (passes.pass() == 1) {
                rejectFromBatch(p.item(), p.reason());
            }
        });
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
            LOG.info(
                    "training: first step of this run is step {} ({} samples trained before it)",
                    firstStepOfRun,
                    samplesSeen);
        }
        step++;
        samplesSeen += n;
        regionsSeen += batch.stream().filter(e -> !e.wholeImage()).count();
        smoothedLoss = Double.isNaN(smoothedLoss) ? loss : 0.95 * smoothedLoss + 0.05 * loss;
        listener.onStep(step, loss, batch.stream().map(Example::key).toList());
        if (service.evalEvery() > 0 && step % service.evalEvery() == 0) {
            evaluate(model, validation, "val.", progress);
        }
        if (step % service.checkpointEvery() == 0 && !abortRequested) {
            return Optional.of(checkpoint());
        }
        return Optional.empty();
    }

    private Optional<RetrievalReport> evaluate(
            ContrastiveModel scored, List<Example> heldOut, String prefix, ProgressReporter progress) {
        if (heldOut.isEmpty()) {
            return Optional.empty();
        }
        RetrievalReport report = RetrievalEvaluator.evaluate(scored, heldOut);
        latestMetrics.putAll(report.metrics(prefix));
        if (prefix.equals("val.")) {
            validatedAtStep = step;
            progress.evaluated(String.format(
                    java.util.Locale.ROOT,
                    "t2r R-P %.3f r2t R-P %.3f",
                    report.get(RetrievalReport.T2R_RPREC),
                    report.get(RetrievalReport.R2T_RPREC)));
        }
        events.publish(event(TrainerEventKind.METRICS, report.metrics(prefix), null));
        return Optional.of(report);
    }

    private Path checkpoint() throws IOException {
        Map<String, Long> offsets = safeOffsets();
        CheckpointState state = new CheckpointState(
                step,
                samplesSeen,
                regionsSeen,
                offsets,
                smoothedLoss,
                latestMetrics,
                System.currentTimeMillis(),
                passes.state());
        Path dir = store.save(model, state);
        lastCheckpointStep = step;
        if (!passes.replays() && validatedAtStep == step) {
            // streaming: the best by an evaluation of this very model; with passes, by pass (see endPass)
            store.offerBest(dir, latestMetrics.getOrDefault("val." + RetrievalReport.T2R_RPREC, Double.NaN));
        }
        fetcher.commitLater(offsets);
        events.publish(event(TrainerEventKind.CHECKPOINT, latestMetrics, dir));
        LOG.info(
                "checkpoint {} at step {} ({} samples, pass {}); {} {}",
                dir.getFileName(),
                step,
                samplesSeen,
                passes.pass(),
                model.device(),
                deviceMemory.read().describe());
        return dir;
    }

    /**
     * Per partition: the oldest training record still waiting (for its whole image, or in the unfinished batch), else
     * how far the fetched stream has been handled (see class doc).
     */
    Map<String, Long> safeOffsets() {
        Map<String, Long> out = new TreeMap<>();
        handled.forEach((tp, o) -> {
            long safe = o;
            if (assembler != null) {
                safe = Math.min(
                        safe,
                        assembler
                                .oldestWaiting(tp, r -> r.split() == Split.TRAIN)
                                .orElse(Long.MAX_VALUE));
            }
            out.put(KafkaRegionSource.key(tp), safe);
        });
        Map<String, Long> oldestPending = new HashMap<>();
        for (Pending p : pending) {
            oldestPending.putIfAbsent(KafkaRegionSource.key(p.partition()), p.offset());
        }
        oldestPending.forEach((k, o) -> out.merge(k, o, Math::min));
        return out;
    }

    private TrainerEvent event(TrainerEventKind kind, Map<String, Double> metrics, Path location) {
        Map<String, Double> m = new LinkedHashMap<>();
        metrics.forEach((k, v) -> {
            if (!Double.isNaN(v)) {
                m.put(k, v);
            }
        });
        m.putAll(deviceMemory.read().metrics());
        return TrainerEvent.newBuilder()
                .setModelId(service.modelId())
                .setModelVersion(step)
                .setKind(kind)
                .setStep(step)
                .setSamplesSeen(samplesSeen)
                .setLoss(Double.isNaN(smoothedLoss) ? null : smoothedLoss)
                .setMetrics(m)
                .setCheckpointLocation(
                        location == null ? null : location.toAbsolutePath().toString())
                .setTime(Instant.now())
                .setDevice(model.device().toString())
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
