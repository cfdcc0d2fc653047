package io.villa.flink.operators;

import java.util.ArrayList;
import java.util.List;

import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.BoundedMultiInput;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.villa.flink.attributes.ExtractedAttributes;
import io.villa.flink.io.KeyedBytes;
import io.villa.flink.mapping.Assignment;
import io.villa.flink.mapping.MappingExample;
import io.villa.flink.mapping.MappingModel;
import io.villa.flink.mapping.MappingQuality;
import io.villa.flink.mapping.ModelVersion;
import io.villa.records.RegionAttributePair;
import io.villa.schemas.Codecs;

/**
 * Decomposes pairs into region-attribute pairs (input 1: pairs the learner passed on) with the mapping model version
 * each pair names ({@link PreparedPair#modelVersion}; input 2: the versions the {@link LearnOperator} broadcasts), so
 * every subtask at any parallelism decomposes a pair exactly as any other would. Never learns and never waits for
 * learning: only a pair that overtook its version on the network waits for it.
 *
 * <p>Per-record isolation: each pair is decomposed alone; a pair whose forward pass fails or whose output would
 * not fit the sink becomes a dead letter ({@value #STAGE}); no pair restarts the job. Each decomposed
 * pair also goes out as a {@link PairQuality} on {@link #QUALITY} for the one {@link QualityOperator}.
 *
 * <p>State: the newest version and any older one a waiting pair names (union state: a rescaled job's subtasks all
 * take them; only the first subtask writes the newest, which every subtask has) and the pairs that overtook their
 * version (at most what was in flight: the learner sends a version before the pairs that name it). A pair whose
 * version is no longer kept is decomposed by the next newer one. When both inputs of a bounded run end, pairs with
 * no version at all become dead letters.
 */
public final class ApplyOperator extends MappingOperator<KeyedBytes>
        implements TwoInputStreamOperator<PreparedPair, ModelVersion, KeyedBytes>, BoundedMultiInput {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ApplyOperator.class);

    public static final OutputTag<PairQuality> QUALITY = new OutputTag<>("mapping-pair-quality") {};
    public static final String STAGE = "decompose.mapping";
    /** Versions kept for pairs still on their way (each is the model's parameters: a few MB for the default model). */
    static final int KEEP = 4;

    private final long failOnceAfter;

    private transient java.util.TreeMap<Long, ModelVersion> versions;
    private transient ModelVersion current;
    private transient MappingModel model;
    private transient int[] typeIndexes;
    private transient List<PreparedPair> waiting;
    private transient ListState<ModelVersion> versionState;
    private transient ListState<PreparedPair> waitingState;
    private transient int inputsEnded;
    private transient long processed;
    private transient boolean checkpointDone;

    private ApplyOperator(Builder b) {
        super(b, STAGE);
        this.failOnceAfter = b.failOnceAfter;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        var states = context.getOperatorStateStore();
        versionState = states.getUnionListState(new ListStateDescriptor<>("mapping-model-version", ModelVersion.class));
        waitingState = states.getListState(new ListStateDescriptor<>("pairs-before-model", PreparedPair.class));
        versions = new java.util.TreeMap<>();
        for (ModelVersion v : versionState.get()) {
            keep(v);
        }
        waiting = new ArrayList<>();
        waitingState.get().forEach(waiting::add);
        typeIndexes = vocabulary.typeIndexes();
    }

    @Override
    public void open() throws Exception {
        super.open();
        getMetricGroup().addGroup("mapping").gauge("appliedModelVersion", (Gauge<Long>)
                () -> current == null ? -1L : current.version);
    }

    @Override
    public void processElement1(StreamRecord<PreparedPair> element) {
        processed++;
        FailureInjection.maybeFail(failOnceAfter, processed, checkpointDone);
        PreparedPair pair = element.getValue();
        if (versions.isEmpty() || pair.modelVersion > versions.lastKey() || !waiting.isEmpty()) {
            waiting.add(pair); // its version is still on its way (and pairs keep their order)
            return;
        }
        applyAll(List.of(pair));
    }

    @Override
    public void processElement2(StreamRecord<ModelVersion> element) {
        keep(element.getValue());
        int ready = 0;
        while (ready < waiting.size() && waiting.get(ready).modelVersion <= versions.lastKey()) {
            ready++;
        }
        if (ready > 0) {
            List<PreparedPair> now = new ArrayList<>(waiting.subList(0, ready));
            waiting = new ArrayList<>(waiting.subList(ready, waiting.size()));
            applyAll(now);
        }
    }

    private void keep(ModelVersion v) {
        versions.put(v.version, v);
        while (versions.size() > KEEP) {
            versions.pollFirstEntry();
        }
    }

    /** The version a pair names, or the next newer one kept when it is gone. */
    private ModelVersion versionFor(PreparedPair pair) {
        Long key = versions.ceilingKey(pair.modelVersion);
        return versions.get(key != null ? key : versions.lastKey());
    }

    /** Loads a version unless it is the one loaded; the previous model is closed. */
    private void use(ModelVersion v) {
        if (current != null && current.version == v.version) {
            return;
        }
        MappingModel next = new MappingModel(config, vocabulary.size(), v.parameters);
        if (model != null) {
            model.close();
        }
        model = next;
        current = v;
    }

    @Override
    public void endInput(int inputId) {
        if (++inputsEnded < 2 || waiting.isEmpty()) {
            return;
        }
        if (!versions.isEmpty()) {
            List<PreparedPair> rest = waiting; // (not expected: the learner sends every version before its pairs)
            waiting = new ArrayList<>();
            applyAll(rest);
            return;
        }
        IllegalStateException reason =
                new IllegalStateException("the bounded input ended before the mapping learner published a model");
        LOG.warn("input ended with {} pairs and no mapping model: they go to the dead-letter topic", waiting.size());
        waiting.forEach(p -> deadLetter(p, reason));
        waiting = new ArrayList<>();
    }

    /** Decomposes pairs, each with the version it names (models are loaded as the version changes). */
    private void applyAll(List<PreparedPair> pairs) {
        for (PreparedPair pair : pairs) {
            use(versionFor(pair));
            apply(pair);
        }
    }

    /**
     * Decomposes one pair alone (a forward pass of its regions only: a batch of several pairs padded to the largest
     * would round the scores differently) and emits its records together, or a dead letter for the pair.
     */
    private void apply(PreparedPair pair) {
        try {
            ExtractedAttributes found = Extracted.of(pair, extractor);
            MappingExample example = MappingExamples.of(pair, found, vocabulary);
            Assignment assignment =
                    Assignment.all(model, List.of(example), config.epsilon()).get(0);
            List<KeyedBytes> records = encode(pair, found, assignment);
            records.forEach(r -> output.collect(new StreamRecord<>(r)));
            output.collect(QUALITY, new StreamRecord<>(quality(pair, assignment, example)));
        } catch (RuntimeException e) {
            deadLetter(pair, e);
        }
    }

    private PairQuality quality(PreparedPair pair, Assignment assignment, MappingExample example) {
        PairQuality q = new PairQuality();
        q.split = pair.split;
        q.modelVersion = current.version;
        q.trainSeen = current.trainSeen;
        q.loss = current.loss;
        if (example.truth() != null) {
            long[][] c = MappingQuality.counts(
                    assignment,
                    example.truth(),
                    typeIndexes,
                    vocabulary.typeNames().size());
            q.hasTruth = true;
            q.correct = c[0][0];
            q.assigned = c[0][1];
            q.truePairs = c[0][2];
            q.typeCounts = new long[3 * (c.length - 1)];
            for (int t = 1; t < c.length; t++) {
                System.arraycopy(c[t], 0, q.typeCounts, 3 * (t - 1), 3);
            }
        }
        return q;
    }

    /** All output records of one pair, encoded; none when one of them would be over the sink's record limit. */
    private List<KeyedBytes> encode(PreparedPair pair, ExtractedAttributes found, Assignment assignment) {
        List<KeyedBytes> records = new ArrayList<>();
        for (RegionAttributePair record : RegionRecords.of(pair, found, assignment, vocabulary, current.version)) {
            byte[] value = Codecs.REGION_ATTRIBUTE_PAIR.encode(record);
            if (value.length > limits.maxOutputRecordBytes()) {
                throw new IllegalArgumentException("output record for "
                        + (record.getWholeImage() ? "the whole image" : "region " + record.getRegionIndex())
                        + " would be " + value.length + " bytes, over the sink's limit of "
                        + limits.maxOutputRecordBytes() + " (--max-output-record-bytes)");
            }
            records.add(KeyedBytes.of(pair.pairId, value));
        }
        return records;
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        // union state: every subtask has the newest version, so one writes it; each writes what its waiting pairs name
        List<ModelVersion> kept = new ArrayList<>();
        long oldestNeeded =
                waiting.stream().mapToLong(p -> p.modelVersion).min().orElse(Long.MAX_VALUE);
        for (ModelVersion v : versions.values()) {
            boolean newest = v.version == versions.lastKey();
            if (newest && getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0
                    || !newest && v.version >= oldestNeeded) {
                kept.add(v);
            }
        }
        versionState.update(kept);
        waitingState.update(waiting);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        super.notifyCheckpointComplete(checkpointId);
        checkpointDone = true;
    }

    @Override
    public void close() throws Exception {
        if (model != null) {
            model.close();
        }
        super.close();
    }

    /** Required: {@code setConfig}, {@code setVocabulary}; the rest has defaults. */
    public static final class Builder extends MappingOperatorBuilder<Builder> {
        private long failOnceAfter;

        private Builder() {}

        @Override
        Builder self() {
            return this;
        }

        /** Fault injection ({@code --inject-failure-after}): see {@link FailureInjection}; 0 (the default) never fails. */
        public Builder optFailOnceAfter(long failOnceAfter) {
            this.failOnceAfter = failOnceAfter;
            return this;
        }

        public ApplyOperator build() {
            return new ApplyOperator(this);
        }
    }
}
