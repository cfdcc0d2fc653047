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
    /** Images per split in the "recent" quality window. */
    static final int QUALITY_WINDOW = 500;

    private final MappingConfig config;
    private final AttributeVocabulary vocabulary;
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

    public MappingOperator(MappingConfig config, AttributeVocabulary vocabulary, long logEvery, long failOnceAfter) {
        this.config = config;
        this.vocabulary = vocabulary;
        this.logEvery = logEvery;
        this.failOnceAfter = failOnceAfter;
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
        processed++;
        FailureInjection.maybeFail(failOnceAfter, processed, checkpointDone);
        if ("TRAIN".equals(pair.split)) {
            learner.learn(example(pair, extractor.extract(List.of(pair.sentences))));
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
            emitAll(waiting, out);
        } else {
            emitAll(List.of(pair), out);
        }
        if (logEvery > 0 && processed % logEvery == 0) {
            quality.all().forEach((split, c) -> LOG.info("mapping quality {}: {}; last {}: {} (model version {}, train pairs seen {})",
                    split, c, QUALITY_WINDOW, quality.recent(split), learner.version(), learner.trainSeen()));
            ctx.output(QUALITY_EVENTS, KeyedBytes.of(MODEL_ID, Codecs.TRAINER_EVENT.encode(qualityEvent())));
        }
    }

    /** Decomposes pairs with the current model (one batched forward pass for a backlog). */
    private void emitAll(List<PreparedPair> pairs, Collector<KeyedBytes> out) {
        List<ExtractedAttributes> found = new ArrayList<>(pairs.size());
        List<MappingExample> examples = new ArrayList<>(pairs.size());
        for (PreparedPair p : pairs) {
            ExtractedAttributes f = extractor.extract(List.of(p.sentences));
            found.add(f);
            examples.add(example(p, f));
        }
        List<Assignment> assignments = learner.assign(examples);
        for (int i = 0; i < pairs.size(); i++) {
            PreparedPair pair = pairs.get(i);
            if (pair.groundTruth != null) {
                quality.add(pair.split, assignments.get(i), examples.get(i).truth());
                registerSplitMetrics(pair.split);
            }
            for (RegionAttributePair record : RegionRecords.of(pair, found.get(i), assignments.get(i), vocabulary, learner.version())) {
                out.collect(KeyedBytes.of(pair.pairId, Codecs.REGION_ATTRIBUTE_PAIR.encode(record)));
            }
        }
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
        List<float[]> pixels = List.of(pair.regionPixels);
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
            // not lost: they are in the last checkpoint and come out once a restored job warms up
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
}
