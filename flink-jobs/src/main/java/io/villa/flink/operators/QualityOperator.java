package io.villa.flink.operators;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.villa.flink.io.KeyedBytes;
import io.villa.flink.mapping.MappingQuality;
import io.villa.flink.mapping.ModelVersion;
import io.villa.records.TrainerEvent;
import io.villa.records.TrainerEventKind;
import io.villa.schemas.Codecs;

/**
 * Mapping quality of the whole job (parallelism 1): sums the {@link PairQuality} of every applier subtask per split
 * (and per attribute type, when the vocabulary has types), cumulative and over the last {@value #WINDOW} images, and
 * announces it as a {@code TrainerEvent} METRICS every {@code logEvery} pairs and at the end of a bounded input. Counts
 * are checkpointed, so a restored job reports quality over everything it decomposed. Logs hold counts and scores only.
 */
public final class QualityOperator extends AbstractStreamOperator<KeyedBytes>
        implements OneInputStreamOperator<PairQuality, KeyedBytes>, BoundedOneInput {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(QualityOperator.class);
    static final int WINDOW = 500;

    private final long logEvery;
    private final List<String> types;

    private transient MappingQuality quality;
    private transient PairQuality last;
    private transient long pairs;
    private transient ListState<byte[]> state;
    private transient MetricGroup metrics;
    private transient Set<String> splitsWithMetrics;

    /**
     * @param logEvery a quality event every N decomposed pairs; 0: only at the end of a bounded input
     * @param types    the vocabulary's attribute types ({@code AttributeVocabulary#typeNames}), the order of
     *                 {@link PairQuality#typeCounts}
     */
    public QualityOperator(long logEvery, List<String> types) {
        if (logEvery < 0) {
            throw new IllegalArgumentException("logEvery must be >= 0, got " + logEvery);
        }
        this.logEvery = logEvery;
        this.types = List.copyOf(types);
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        state = context.getOperatorStateStore().getListState(new ListStateDescriptor<>("mapping-quality",
                PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        quality = new MappingQuality(WINDOW, types);
        for (byte[] b : state.get()) {
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(b))) {
                quality = (MappingQuality) in.readObject();
                pairs = in.readLong();
            }
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        metrics = getMetricGroup().addGroup("mapping");
        splitsWithMetrics = new HashSet<>();
        quality.all().keySet().forEach(this::registerSplitMetrics);
    }

    @Override
    public void processElement(StreamRecord<PairQuality> element) {
        PairQuality q = element.getValue();
        pairs++;
        if (last == null || q.modelVersion >= last.modelVersion) {
            last = q;
        }
        if (q.hasTruth) {
            long[][] counts = new long[types.size() + 1][];
            counts[0] = new long[] {q.correct, q.assigned, q.truePairs};
            for (int t = 0; t < types.size(); t++) {
                counts[t + 1] = 3 * t + 3 <= q.typeCounts.length ? Arrays.copyOfRange(q.typeCounts, 3 * t, 3 * t + 3) : new long[3];
            }
            quality.add(q.split, counts);
            registerSplitMetrics(q.split);
        }
        if (logEvery > 0 && pairs % logEvery == 0) {
            announce();
        }
    }

    @Override
    public void endInput() {
        if (last != null) {
            announce();
        }
    }

    private void announce() {
        quality.all().forEach((split, c) -> LOG.info("mapping quality {}: {}; last {}: {} (model version {})",
                split, c, WINDOW, quality.recent(split), last.modelVersion));
        output.collect(new StreamRecord<>(KeyedBytes.of(ModelVersion.MODEL_ID, Codecs.TRAINER_EVENT.encode(event()))));
    }

    TrainerEvent event() {
        Map<String, Double> values = new TreeMap<>();
        quality.all().forEach((split, c) -> {
            quality.putMetrics(split, values);
            values.put(split + ".recentF1", quality.recent(split).f1());
        });
        values.put("pairsDecomposed", (double) pairs);
        return TrainerEvent.newBuilder()
                .setModelId(ModelVersion.MODEL_ID)
                .setModelVersion(last.modelVersion)
                .setKind(TrainerEventKind.METRICS)
                .setStep(last.modelVersion)
                .setSamplesSeen(last.trainSeen)
                .setLoss(Float.isNaN(last.loss) ? null : (double) last.loss)
                .setMetrics(values)
                .setCheckpointLocation(null)
                .setTime(Instant.now())
                .build();
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

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(quality);
            out.writeLong(pairs);
        } catch (IOException e) {
            throw new IllegalStateException("mapping quality does not serialise", e);
        }
        state.update(List.of(bytes.toByteArray()));
    }

    @Override
    public void close() throws Exception {
        if (quality != null) {
            quality.all().forEach((split, c) -> LOG.info("mapping quality {} at close: {}", split, c));
        }
        super.close();
    }
}
