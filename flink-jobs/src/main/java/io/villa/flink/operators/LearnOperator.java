package io.villa.flink.operators;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.villa.flink.io.KeyedBytes;
import io.villa.flink.mapping.BackgroundLearner;
import io.villa.flink.mapping.HeldOutSet;
import io.villa.flink.mapping.MappingExample;
import io.villa.flink.mapping.MappingLearner;
import io.villa.flink.mapping.MappingModel;
import io.villa.flink.mapping.MappingQuality;
import io.villa.flink.mapping.ModelStore;
import io.villa.flink.mapping.ModelVersion;
import io.villa.records.TrainerEvent;
import io.villa.records.TrainerEventKind;
import io.villa.schemas.Codecs;

/**
 * The one mapping learner (parallelism 1): every pair of every partition passes through it. TRAIN pairs feed the
 * {@link BackgroundLearner}, which learns on a thread of its own; the versions it publishes go out on
 * {@link #MODEL_VERSIONS} (broadcast to every {@link ApplyOperator}) and are announced on {@link #EVENTS}. Pairs are
 * passed on to the appliers once the first version is out; before that they wait here.
 *
 * <p>Bounds, never silent drops: at most {@code maxWaitingPairs} pairs wait for the first version; when that is
 * reached the model warms up on the TRAIN pairs it has and the stream waits for it (back-pressure); with fewer than
 * two TRAIN pairs there is nothing to learn from, and the waiting pairs become dead letters that say so. A pair
 * passes only while at most {@code maxLagSteps} learning steps are owed; beyond that the stream waits for learning
 * (0: every pair is decomposed by the model that learned from every TRAIN pair before it).
 *
 * <p>Each pair passed on carries the version the learner had sent at that moment ({@link PreparedPair#modelVersion}):
 * the applier decomposes it with exactly that version.
 *
 * <p>Held-out quality: the first {@code heldOutPairs} VAL pairs with ground truth are kept ({@link HeldOutSet}; they go
 * on to the appliers as any pair), and every {@code heldOutEvery}-th version sent, and the final one, is scored on them,
 * each pair alone, and announced on {@link #EVENTS} as a {@code TrainerEvent} METRICS (HELDOUT.precision, .recall, .f1,
 * .images, and per attribute type): the quality of one model on a fixed set, where the appliers' figures mix every
 * version that decomposed a pair.
 *
 * <p>State (a checkpoint waits for at most one learning step): the whole learner (see
 * {@code io.villa.flink.mapping.LearnerState}), the last published version and versions published but not yet sent,
 * the waiting pairs, the held-out pairs and how many versions counted towards held-out scoring. At the end of a bounded
 * input every owed step runs and the final version is published before the waiting pairs go on.
 */
public final class LearnOperator extends MappingOperator<PreparedPair>
        implements OneInputStreamOperator<PreparedPair, PreparedPair>, BoundedOneInput {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LearnOperator.class);

    public static final OutputTag<ModelVersion> MODEL_VERSIONS = new OutputTag<>("mapping-model-versions") {};
    /** Announcements of published versions ({@code TrainerEvent} CHECKPOINT, model id {@value ModelVersion#MODEL_ID}). */
    public static final OutputTag<KeyedBytes> EVENTS = new OutputTag<>("mapping-learner-events") {};

    public static final String STAGE = "decompose.learn";
    private static final Duration POLL = Duration.ofMillis(200);

    private final ModelStore store;
    private final long publishEvery;
    private final int maxWaitingPairs;
    private final long maxLagSteps;
    private final int heldOutPairs;
    private final long heldOutEvery;

    private transient BackgroundLearner background;
    private transient List<PreparedPair> waiting;
    private transient boolean versionSent;
    private transient long lastSent;
    private transient ListState<byte[]> learnerState;
    private transient ListState<ModelVersion> unsentState;
    private transient ListState<Long> publishedState;
    private transient ListState<Long> sentState;
    private transient ListState<PreparedPair> waitingState;
    private transient HeldOutSet heldOut;
    /** Versions sent so far that counted towards held-out scoring (every {@code heldOutEvery}-th is scored). */
    private transient long heldOutSent;

    private transient ListState<byte[]> heldOutState;
    private transient ListState<Long> heldOutSentState;
    /** The version scored last and on how many held-out pairs (not state: at worst a restored job scores it once more). */
    private transient long[] lastScored;

    private LearnOperator(Builder b) {
        super(b, STAGE);
        this.store = b.store;
        this.publishEvery = b.publishEvery;
        this.maxWaitingPairs = b.maxWaitingPairs;
        this.maxLagSteps = b.maxLagSteps;
        this.heldOutPairs = b.heldOutPairs;
        this.heldOutEvery = b.heldOutEvery;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        var states = context.getOperatorStateStore();
        learnerState = states.getListState(
                new ListStateDescriptor<>("mapping-learner", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        unsentState = states.getListState(new ListStateDescriptor<>("mapping-versions-unsent", ModelVersion.class));
        publishedState = states.getListState(new ListStateDescriptor<>("mapping-version-published", Types.LONG));
        sentState = states.getListState(new ListStateDescriptor<>("mapping-version-sent", Types.LONG));
        waitingState = states.getListState(new ListStateDescriptor<>("pairs-before-first-model", PreparedPair.class));
        heldOutState = states.getListState(
                new ListStateDescriptor<>("mapping-held-out", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        heldOutSentState = states.getListState(new ListStateDescriptor<>("mapping-held-out-sent", Types.LONG));
        heldOut = new HeldOutSet(heldOutPairs);
        for (byte[] h : heldOutState.get()) {
            heldOut = HeldOutSet.fromBytes(heldOutPairs, h);
        }
        lastScored = new long[] {-1, 0};
        heldOutSent = 0;
        for (Long n : heldOutSentState.get()) {
            heldOutSent = n;
        }
        byte[] restored = null;
        for (byte[] s : learnerState.get()) {
            restored = s;
        }
        long lastPublished = -1;
        for (Long p : publishedState.get()) {
            lastPublished = Math.max(lastPublished, p);
        }
        waiting = new ArrayList<>();
        waitingState.get().forEach(waiting::add);
        MappingLearner learner = restored == null
                ? new MappingLearner(config, vocabulary.size())
                : new MappingLearner(config, vocabulary.size(), restored);
        background =
                new BackgroundLearner(learner, publishEvery, lastPublished, store::publish, "villa-mapping-learner");
        List<ModelVersion> unsent = new ArrayList<>();
        unsentState.get().forEach(unsent::add);
        background.requeue(unsent);
        lastSent = -1;
        for (Long v : sentState.get()) {
            lastSent = Math.max(lastSent, v);
        }
        versionSent = lastSent >= 0;
        if (context.isRestored()) {
            LOG.info(
                    "mapping learner restored: version {}, {} TRAIN images seen, {} steps owed, "
                            + "last published version {}, {} pairs waiting",
                    learner.version(),
                    learner.trainSeen(),
                    learner.stepsOwed(),
                    lastPublished,
                    waiting.size());
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        var group = getMetricGroup().addGroup("mapping");
        group.gauge("modelVersion", (Gauge<Long>) () -> background.read(MappingLearner::version));
        group.gauge("trainSeen", (Gauge<Long>) () -> background.read(MappingLearner::trainSeen));
        group.gauge("stepsOwed", (Gauge<Integer>) () -> background.read(MappingLearner::stepsOwed));
        group.gauge("learningLagImages", (Gauge<Long>) () -> background.read(MappingLearner::lagImages));
        group.gauge("pairsWaitingForFirstModel", (Gauge<Integer>) () -> waiting.size());
        getProcessingTimeService().scheduleWithFixedDelay(time -> sendPublished(), POLL.toMillis(), POLL.toMillis());
    }

    @Override
    public void processElement(StreamRecord<PreparedPair> element) throws Exception {
        background.rethrowIfFailed();
        PreparedPair pair = element.getValue();
        if ("TRAIN".equals(pair.split)) {
            MappingExample example;
            try {
                example = MappingExamples.of(pair, Extracted.of(pair, extractor), vocabulary);
                MappingExamples.checkShape(
                        example, config); // never let a pair into the replay buffer that would break a batch
            } catch (RuntimeException e) {
                deadLetter(pair, e);
                return;
            }
            background.offer(example);
        } else if ("VAL".equals(pair.split) && heldOut.size() < heldOutPairs) {
            keepHeldOut(pair);
        }
        if ((versionSent || background.read(MappingLearner::warmUpOwed)) && background.pendingSteps() > maxLagSteps) {
            // learning fell behind by more than the bound: the stream waits (its checkpoint barriers too) until it is
            // back
            background.await(
                    () -> background.pendingSteps() <= maxLagSteps,
                    "more than " + maxLagSteps + " steps owed",
                    Duration.ofSeconds(10));
        }
        sendPublished();
        if (versionSent) {
            pair.modelVersion = lastSent;
            output.collect(element);
            return;
        }
        waiting.add(pair);
        if (waiting.size() >= maxWaitingPairs) {
            LOG.warn(
                    "{} pairs wait for the first mapping model (the --max-waiting-pairs bound): warming up on the {} TRAIN pairs there are",
                    waiting.size(),
                    background.read(MappingLearner::trainSeen));
            warmUpAndRelease("the waiting list is full (" + waiting.size() + " pairs, --max-waiting-pairs)");
        }
    }

    /**
     * Owes the warm-up now, waits for the first version and sends the waiting pairs on; with fewer than two TRAIN pairs
     * to learn from, the waiting pairs become dead letters that give {@code why}.
     */
    private void warmUpAndRelease(String why) throws InterruptedException {
        if (!background.warmUpNow()) {
            IllegalStateException reason = new IllegalStateException(why + " before the mapping model could learn: "
                    + background.read(MappingLearner::trainSeen)
                    + " TRAIN pairs with attributes seen, at least 2 needed (warm-up wants "
                    + config.warmupPairs() + ")");
            LOG.warn(
                    "{} pairs wait and there is nothing to learn from: they go to the dead-letter topic",
                    waiting.size());
            List<PreparedPair> lost = waiting;
            waiting = new ArrayList<>();
            lost.forEach(p -> deadLetter(p, reason));
            return;
        }
        background.await(() -> background.lastPublished() >= 0, "first model version", Duration.ofSeconds(10));
        sendPublished();
    }

    /** Sends the versions published since the last call, and the waiting pairs after the first one. */
    private void sendPublished() {
        background.rethrowIfFailed();
        for (ModelVersion v : background.takePublished()) {
            output.collect(MODEL_VERSIONS, new StreamRecord<>(v));
            lastSent = v.version;
            output.collect(
                    EVENTS,
                    new StreamRecord<>(
                            KeyedBytes.of(ModelVersion.MODEL_ID, Codecs.TRAINER_EVENT.encode(announcement(v)))));
            if (heldOutEvery > 0 && ++heldOutSent % heldOutEvery == 0) {
                scoreHeldOut(v, false);
            }
            if (!versionSent) {
                LOG.info("first mapping model version {} sent: {} pairs that waited go on", v.version, waiting.size());
                versionSent = true;
                releaseWaiting(); // with the first version, whatever was published after it
            }
        }
        releaseWaiting();
    }

    /** Keeps a VAL pair for held-out scoring if the model can score it; the pair goes on to the appliers either way. */
    private void keepHeldOut(PreparedPair pair) {
        try {
            MappingExample example = MappingExamples.of(pair, Extracted.of(pair, extractor), vocabulary);
            MappingExamples.checkShape(example, config);
            heldOut.offer(example, background.read(MappingLearner::trainSeen));
        } catch (RuntimeException e) {
            // not kept: the applier turns it into a dead letter
        }
    }

    /**
     * Scores version {@code v} on the held-out pairs that came before its last TRAIN pair ({@code all}: on every one,
     * when the input has ended) and announces the figures.
     */
    private void scoreHeldOut(ModelVersion v, boolean all) {
        List<MappingExample> images = all ? heldOut.all() : heldOut.before(v.trainSeen);
        if (images.isEmpty() || v.version == lastScored[0] && images.size() == lastScored[1]) {
            return; // nothing to score, or this version was just scored on these very pairs
        }
        lastScored = new long[] {v.version, images.size()};
        MappingQuality quality;
        try (MappingModel model = new MappingModel(config, vocabulary.size(), v.parameters)) {
            quality =
                    HeldOutSet.score(model, images, config.epsilon(), vocabulary.typeIndexes(), vocabulary.typeNames());
        }
        LOG.info("held-out mapping quality of version {}: {}", v.version, quality.split(HeldOutSet.SPLIT));
        Map<String, Double> metrics = new TreeMap<>();
        quality.putMetrics(HeldOutSet.SPLIT, metrics);
        TrainerEvent event = TrainerEvent.newBuilder()
                .setModelId(ModelVersion.MODEL_ID)
                .setModelVersion(v.version)
                .setKind(TrainerEventKind.METRICS)
                .setStep(v.version)
                .setSamplesSeen(v.trainSeen)
                .setLoss(Float.isNaN(v.loss) ? null : (double) v.loss)
                .setMetrics(metrics)
                .setCheckpointLocation(null)
                .setTime(Instant.now())
                .build();
        output.collect(
                EVENTS, new StreamRecord<>(KeyedBytes.of(ModelVersion.MODEL_ID, Codecs.TRAINER_EVENT.encode(event))));
    }

    /** Sends the waiting pairs on, each naming the version sent last, once there is one. */
    private void releaseWaiting() {
        if (versionSent && !waiting.isEmpty()) {
            List<PreparedPair> ready = waiting;
            waiting = new ArrayList<>();
            ready.forEach(p -> {
                p.modelVersion = lastSent;
                output.collect(new StreamRecord<>(p));
            });
        }
    }

    private TrainerEvent announcement(ModelVersion v) {
        Map<String, Double> metrics = new TreeMap<>();
        metrics.put("stepsOwed", (double) background.read(MappingLearner::stepsOwed));
        metrics.put("learningLagImages", (double) background.read(MappingLearner::lagImages));
        metrics.put("trainPairsReceived", (double) background.read(MappingLearner::trainSeen));
        return TrainerEvent.newBuilder()
                .setModelId(ModelVersion.MODEL_ID)
                .setModelVersion(v.version)
                .setKind(TrainerEventKind.CHECKPOINT)
                .setStep(v.version)
                .setSamplesSeen(v.trainSeen)
                .setLoss(Float.isNaN(v.loss) ? null : (double) v.loss)
                .setMetrics(metrics)
                .setCheckpointLocation(v.location)
                .setTime(Instant.now())
                .build();
    }

    @Override
    public void endInput() throws Exception {
        // the bounded input ended: learn everything owed, publish the final version, let nothing wait
        if (!background.read(MappingLearner::warmUpOwed)) {
            LOG.warn(
                    "input ended before warm-up ({} of {} TRAIN pairs): warming up on those",
                    background.read(MappingLearner::trainSeen),
                    config.warmupPairs());
        }
        if (!background.warmUpNow()) {
            warmUpAndRelease("the bounded input ended"); // nothing to learn from: the waiting pairs become dead letters
            return;
        }
        LOG.info("input ended: finishing the {} learning steps owed", background.read(MappingLearner::stepsOwed));
        background.finish(Duration.ofSeconds(10));
        sendPublished();
        if (heldOutEvery > 0 && !heldOut.isEmpty()) {
            scoreHeldOut(background.current(), true); // the final model on the whole held-out set
        }
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        sendPublished(); // what is published goes out before the barrier
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        BackgroundLearner.Snapshot s = background.snapshot();
        learnerState.update(List.of(s.learner()));
        unsentState.update(s.unsent());
        publishedState.update(List.of(s.lastPublished()));
        sentState.update(List.of(lastSent));
        waitingState.update(waiting);
        heldOutState.update(List.of(heldOut.toBytes()));
        heldOutSentState.update(List.of(heldOutSent));
    }

    @Override
    public void close() throws Exception {
        if (background != null) {
            try {
                background.publishAtStop(); // the version reached is loadable after a stop too
            } catch (RuntimeException e) {
                LOG.warn("mapping model not published at stop: {}", e.toString());
            }
            background.close();
        }
        if (waiting != null && !waiting.isEmpty()) {
            LOG.warn(
                    "{} pairs still wait for the first mapping model; they stay in checkpointed state", waiting.size());
        }
        super.close();
    }

    /** Required: {@code setConfig}, {@code setVocabulary}; the rest has defaults. */
    public static final class Builder extends MappingOperatorBuilder<Builder> {
        private ModelStore store = ModelStore.none();
        private long publishEvery = 64;
        private int maxWaitingPairs = 2048;
        private long maxLagSteps = 1024;
        private int heldOutPairs = 256;
        private long heldOutEvery = 1;

        private Builder() {}

        @Override
        Builder self() {
            return this;
        }

        /** Where published versions are written as loadable models (default: nowhere). */
        public Builder optModelStore(ModelStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** A version is published every N learning steps, and when warm-up ends (default 64). */
        public Builder optPublishEvery(long steps) {
            if (steps < 1) {
                throw new IllegalArgumentException("publishEvery must be >= 1 step, got " + steps);
            }
            this.publishEvery = steps;
            return this;
        }

        /** Pairs that may wait for the first version (default 2048). */
        public Builder optMaxWaitingPairs(int pairs) {
            if (pairs < 1) {
                throw new IllegalArgumentException("maxWaitingPairs must be >= 1, got " + pairs);
            }
            this.maxWaitingPairs = pairs;
            return this;
        }

        /**
         * Learning steps that may be owed while pairs pass (default 1024: about 2048 TRAIN images with the default
         * schedule); 0: each pair waits until learning has caught up with every TRAIN pair before it.
         */
        public Builder optMaxLagSteps(long steps) {
            if (steps < 0) {
                throw new IllegalArgumentException("maxLagSteps must be >= 0, got " + steps);
            }
            this.maxLagSteps = steps;
            return this;
        }

        /** VAL pairs kept (the first ones with ground truth) to score versions on (default 256; 0: none). */
        public Builder optHeldOutPairs(int pairs) {
            if (pairs < 0) {
                throw new IllegalArgumentException("heldOutPairs must be >= 0, got " + pairs);
            }
            this.heldOutPairs = pairs;
            return this;
        }

        /** Every N-th version sent is scored on the held-out pairs, and the final one (default 1; 0: none). */
        public Builder optHeldOutEvery(long versions) {
            if (versions < 0) {
                throw new IllegalArgumentException("heldOutEvery must be >= 0, got " + versions);
            }
            this.heldOutEvery = versions;
            return this;
        }

        public LearnOperator build() {
            return new LearnOperator(this);
        }
    }
}
