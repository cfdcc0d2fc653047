package io.villa.flink.operators;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.villa.flink.attributes.AttributeExtractor;
import io.villa.flink.attributes.AttributeVocabulary;
import io.villa.flink.attributes.ExtractedAttributes;
import io.villa.flink.io.DeadLetterOutput;
import io.villa.flink.io.KeyedBytes;
import io.villa.flink.mapping.Assignment;
import io.villa.flink.mapping.LearnerState;
import io.villa.flink.mapping.MappingConfig;
import io.villa.flink.mapping.MappingExample;
import io.villa.flink.mapping.MappingLearner;
import io.villa.flink.mapping.MappingQuality;
import io.villa.records.RegionAttributePair;
import io.villa.records.TrainerEvent;
import io.villa.records.TrainerEventKind;
import io.villa.schemas.Codecs;

/**
 * Holds the online mapping learner: learns from TRAIN pairs, decomposes every pair with the current model.
 *
 * <p>Per-record isolation: a pair the model cannot take (a forward pass of it alone fails before it may enter
 * the replay buffer), whose batch forward fails (it is retried alone), or whose output would not fit the sink
 * becomes a dead letter ({@value #STAGE}); the others go on, and no pair restarts the job. At the end of a
 * bounded input ({@link #endOfInput}, called by {@link MappingStreamOperator}) the pairs still waiting for
 * warm-up are decomposed by a model warmed on the TRAIN pairs it has, or dead-lettered when it has none.
 *
 * <p>State: the learner's parameters and counters (union list state: on restore each subtask takes the
 * newest model) and the pairs that arrived before warm-up (they wait, checkpointed, and are emitted once
 * the model is warm). Quality per split is exposed as metrics ({@code mapping.split.<SPLIT>.f1}, ...) and
 * logged every {@code logEvery} pairs, with ids and counts only.
 */
public final class MappingOperator extends ProcessFunction<PreparedPair, KeyedBytes>
        implements CheckpointedFunction, CheckpointListener {

    private static final Logger LOG = LoggerFactory.getLogger(MappingOperator.class);

    /** Quality announcements ({@code TrainerEvent} METRICS, model id {@value #MODEL_ID}), every {@code logEvery} pairs. */
    public static final OutputTag<KeyedBytes> QUALITY_EVENTS = new OutputTag<>("mapping-quality-events") { };
    public static final String MODEL_ID = "villa-mapping";
    public static final String STAGE = "decompose.mapping";
    /** Images per split in the "recent" quality window. */
    static final int QUALITY_WINDOW = 500;

    private final MappingConfig config;
    private final AttributeVocabulary vocabulary;
    private final InputLimits limits;
    private final long logEvery;
    private final long failOnceAfter;

    private transient MappingLearner learner;
    private transient AttributeExtractor extractor;
    private transient List<PreparedPair> pending;
    private transient MappingQuality quality;
    private transient ListState<LearnerState> modelState;
    private transient ListState<PreparedPair> pendingState;
    private transient MetricGroup metrics;
    private transient Set<String> splitsWithMetrics;
    private transient boolean checkpointDone;
    private transient long processed;

    private MappingOperator(Builder b) {
        this.config = java.util.Objects.requireNonNull(b.config, "config");
        this.vocabulary = java.util.Objects.requireNonNull(b.vocabulary, "vocabulary");
        this.limits = b.limits;
        this.logEvery = b.logEvery;
        this.failOnceAfter = b.failOnceAfter;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        modelState = context.getOperatorStateStore()
                .getUnionListState(new ListStateDescriptor<>("mapping-model", LearnerState.class));
        pendingState = context.getOperatorStateStore()
                .getListState(new ListStateDescriptor<>("pairs-before-warm-up", PreparedPair.class));
        LearnerState newest = null;
        for (LearnerState s : modelState.get()) {
            if (newest == null || s.version > newest.version) {
                newest = s;
            }
        }
        pending = new ArrayList<>();
        for (PreparedPair p : pendingState.get()) {
            pending.add(p);
        }
        learner = new MappingLearner(config, vocabulary.size(), newest);
        extractor = new AttributeExtractor(vocabulary);
        for (PreparedPair p : pending) {
            if ("TRAIN".equals(p.split)) {
                learner.remember(example(p, extractor.extract(List.of(p.sentences))));
            }
        }
        if (context.isRestored()) {
            LOG.info("mapping model restored: version {}, {} train pairs seen, warm {}, {} pairs waiting",
                    learner.version(), learner.trainSeen(), learner.isWarm(), pending.size());
        }
    }

    @Override
    public void open(OpenContext openContext) {
        quality = new MappingQuality(QUALITY_WINDOW);
        splitsWithMetrics = new HashSet<>();
        metrics = getRuntimeContext().getMetricGroup().addGroup("mapping");
        metrics.gauge("modelVersion", (Gauge<Long>) () -> learner.version());
        metrics.gauge("pairsWaitingForWarmUp", (Gauge<Integer>) () -> pending.size());
    }

    @Override
    public void processElement(PreparedPair pair, Context ctx, Collector<KeyedBytes> out) {
        process(pair, MappingOutputs.of(ctx, out));
    }

    void process(PreparedPair pair, MappingOutputs outputs) {
        processed++;
        FailureInjection.maybeFail(failOnceAfter, processed, checkpointDone);
        if ("TRAIN".equals(pair.split)) {
            MappingExample example;
            try {
                example = example(pair, extractor.extract(List.of(pair.sentences)));
                learner.check(example); // a pair the model cannot take must never reach the replay buffer
            } catch (RuntimeException e) {
                deadLetter(pair, e, outputs);
                return;
            }
            learner.learn(example);
        }
        if (!learner.isWarm()) {
            pending.add(pair);
            return;
        }
        if (!pending.isEmpty()) {
            LOG.info("model warm (version {}): emitting {} pairs that waited", learner.version(), pending.size());
            List<PreparedPair> waiting = pending;
            pending = new ArrayList<>();
            waiting.add(pair);
            emitAll(waiting, outputs);
        } else {
            emitAll(List.of(pair), outputs);
        }
        if (logEvery > 0 && processed % logEvery == 0) {
            quality.all().forEach((split, c) -> LOG.info("mapping quality {}: {}; last {}: {} (model version {}, train pairs seen {})",
                    split, c, QUALITY_WINDOW, quality.recent(split), learner.version(), learner.trainSeen()));
            outputs.event(KeyedBytes.of(MODEL_ID, Codecs.TRAINER_EVENT.encode(qualityEvent())));
        }
    }

    /**
     * The bounded input has ended: nothing may stay waiting. A model that never warmed up is warmed now on the
     * TRAIN pairs it has and decomposes the waiting pairs; with fewer than two it cannot learn, and they become
     * dead letters that say so. A last quality event follows either way.
     */
    void endOfInput(MappingOutputs outputs) {
        if (!pending.isEmpty()) {
            List<PreparedPair> waiting = pending;
            pending = new ArrayList<>();
            if (learner.warmUpNow()) {
                LOG.warn("input ended before warm-up ({} of {} TRAIN pairs): model warmed on those, version {}; decomposing the {} waiting pairs",
                        learner.trainSeen(), config.warmupPairs(), learner.version(), waiting.size());
                emitAll(waiting, outputs);
            } else {
                LOG.warn("input ended with {} pairs waiting and {} TRAIN pairs to learn from: they go to the dead-letter topic",
                        waiting.size(), learner.trainSeen());
                IllegalStateException reason = new IllegalStateException("the bounded input ended before the mapping model could learn: "
                        + learner.trainSeen() + " TRAIN pairs with attributes seen, at least 2 needed (warm-up wants "
                        + config.warmupPairs() + ")");
                waiting.forEach(p -> deadLetter(p, reason, outputs));
            }
        }
        outputs.event(KeyedBytes.of(MODEL_ID, Codecs.TRAINER_EVENT.encode(qualityEvent())));
    }

    /**
     * Decomposes pairs with the current model (one batched forward pass for a backlog; when a batch fails, each
     * pair alone) and emits each pair's records together, or a dead letter for the pair.
     */
    private void emitAll(List<PreparedPair> pairs, MappingOutputs outputs) {
        List<PreparedPair> ready = new ArrayList<>(pairs.size());
        List<ExtractedAttributes> found = new ArrayList<>(pairs.size());
        List<MappingExample> examples = new ArrayList<>(pairs.size());
        for (PreparedPair p : pairs) {
            try {
                ExtractedAttributes f = extractor.extract(List.of(p.sentences));
                MappingExample example = example(p, f);
                ready.add(p);
                found.add(f);
                examples.add(example);
            } catch (RuntimeException e) {
                deadLetter(p, e, outputs);
            }
        }
        List<Assignment> assignments;
        try {
            assignments = learner.assign(examples);
        } catch (RuntimeException batchFailure) {
            assignments = null; // one pair spoils the batch: each pair alone below finds which
        }
        for (int i = 0; i < ready.size(); i++) {
            PreparedPair pair = ready.get(i);
            try {
                Assignment assignment = assignments != null ? assignments.get(i) : learner.assign(List.of(examples.get(i))).get(0);
                List<KeyedBytes> records = encode(pair, found.get(i), assignment);
                if (pair.groundTruth != null) {
                    quality.add(pair.split, assignment, examples.get(i).truth());
                    registerSplitMetrics(pair.split);
                }
                records.forEach(outputs::region);
            } catch (RuntimeException e) {
                deadLetter(pair, e, outputs);
            }
        }
    }

    /** All output records of one pair, encoded; none when one of them would be over the sink's record limit. */
    private List<KeyedBytes> encode(PreparedPair pair, ExtractedAttributes found, Assignment assignment) {
        List<KeyedBytes> records = new ArrayList<>();
        for (RegionAttributePair record : RegionRecords.of(pair, found, assignment, vocabulary, learner.version())) {
            byte[] value = Codecs.REGION_ATTRIBUTE_PAIR.encode(record);
            if (value.length > limits.maxOutputRecordBytes()) {
                throw new IllegalArgumentException("output record for " + (record.getWholeImage() ? "the whole image"
                        : "region " + record.getRegionIndex()) + " would be " + value.length + " bytes, over the sink's limit of "
                        + limits.maxOutputRecordBytes() + " (--max-output-record-bytes)");
            }
            records.add(KeyedBytes.of(pair.pairId, value));
        }
        return records;
    }

    private void deadLetter(PreparedPair pair, Exception e, MappingOutputs outputs) {
        LOG.warn("dead letter at {}: pair {} ({}-{}@{}): {}", STAGE, pair.pairId, pair.topic, pair.partition, pair.offset,
                e.getClass().getSimpleName());
        outputs.deadLetter(DeadLetterOutput.of(STAGE, pair.topic, pair.partition, pair.offset, pair.rawKey, pair.rawValue, e,
                limits.maxOutputRecordBytes()));
    }

    private void registerSplitMetrics(String split) {
        if (splitsWithMetrics.add(split)) {
            MetricGroup g = metrics.addGroup("split", split);
            g.gauge("precision", (Gauge<Double>) () -> quality.split(split).precision());
            g.gauge("recall", (Gauge<Double>) () -> quality.split(split).recall());
            g.gauge("f1", (Gauge<Double>) () -> quality.split(split).f1());
            g.gauge("images", (Gauge<Long>) () -> quality.split(split).images);
            g.gauge("recentF1", (Gauge<Double>) () -> quality.recent(split).f1());
        }
    }

    TrainerEvent qualityEvent() {
        Map<String, Double> values = new TreeMap<>();
        quality.all().forEach((split, c) -> {
            values.put(split + ".precision", c.precision());
            values.put(split + ".recall", c.recall());
            values.put(split + ".f1", c.f1());
            values.put(split + ".images", (double) c.images);
            values.put(split + ".recentF1", quality.recent(split).f1());
        });
        values.put("pairsWaitingForWarmUp", (double) pending.size());
        float loss = learner.lastLoss();
        return TrainerEvent.newBuilder()
                .setModelId(MODEL_ID)
                .setModelVersion(learner.version())
                .setKind(TrainerEventKind.METRICS)
                .setStep(learner.version())
                .setSamplesSeen(learner.trainSeen())
                .setLoss(Float.isNaN(loss) ? null : (double) loss)
                .setMetrics(values)
                .setCheckpointLocation(null)
                .setTime(Instant.now())
                .build();
    }

    MappingExample example(PreparedPair pair, ExtractedAttributes found) {
        List<byte[]> pixels = List.of(pair.regionPixels);
        List<int[]> truth = new ArrayList<>();
        for (int r = 0; r < pair.regionCount(); r++) {
            truth.add(pair.groundTruth == null || r >= pair.groundTruth.length ? new int[0]
                    : java.util.Arrays.stream(pair.groundTruth[r]).mapToInt(vocabulary::indexOf).filter(i -> i >= 0).toArray());
        }
        return new MappingExample(pixels, found.present(), pair.groundTruth == null ? null : truth);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        modelState.update(List.of(learner.state()));
        pendingState.update(pending);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        checkpointDone = true;
    }

    @Override
    public void close() {
        if (pending != null && !pending.isEmpty()) {
            // a cancelled or failed job (a bounded one ends through endOfInput): they are in the last checkpoint
            // and come out once a job restored from it warms up
            LOG.warn("{} pairs still wait for the mapping model's warm-up ({} of {} TRAIN pairs seen); they stay in checkpointed state",
                    pending.size(), learner.trainSeen(), config.warmupPairs());
        }
        if (quality != null) {
            quality.all().forEach((split, c) -> LOG.info("mapping quality {} at close: {} (model version {})",
                    split, c, learner.version()));
        }
        if (learner != null) {
            learner.close();
        }
    }

    /** For tests: the learner's model version. */
    long modelVersion() {
        return learner.version();
    }

    /** Required: {@code setConfig}, {@code setVocabulary}; the rest has defaults. */
    public static final class Builder {
        private MappingConfig config;
        private AttributeVocabulary vocabulary;
        private InputLimits limits = InputLimits.defaults();
        private long logEvery = 500;
        private long failOnceAfter;

        private Builder() {
        }

        public Builder setConfig(MappingConfig config) {
            this.config = config;
            return this;
        }

        public Builder setVocabulary(AttributeVocabulary vocabulary) {
            this.vocabulary = vocabulary;
            return this;
        }

        public Builder optLimits(InputLimits limits) {
            this.limits = java.util.Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** Quality log line and event every N pairs; 0: never (default 500). */
        public Builder optLogEvery(long logEvery) {
            if (logEvery < 0) {
                throw new IllegalArgumentException("logEvery must be >= 0, got " + logEvery);
            }
            this.logEvery = logEvery;
            return this;
        }

        /** Test only: see {@link FailureInjection}. */
        public Builder optFailOnceAfter(long failOnceAfter) {
            this.failOnceAfter = failOnceAfter;
            return this;
        }

        public MappingOperator build() {
            return new MappingOperator(this);
        }
    }
}
