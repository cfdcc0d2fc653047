package io.villa.flink.operators;

import java.nio.ByteBuffer;

import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.villa.flink.io.DeadLetterOutput;
import io.villa.flink.io.RawRecord;
import io.villa.records.Box;
import io.villa.records.ImageReportPair;
import io.villa.records.RegionTruth;
import io.villa.schemas.Codecs;

/** Kafka bytes -> {@link DecodedPair}; bytes that are not an {@code ImageReportPair} become dead letters. */
public final class DecodePairs extends ProcessFunction<RawRecord, DecodedPair> {

    public static final String STAGE = "decompose.decode";
    private static final Logger LOG = LoggerFactory.getLogger(DecodePairs.class);

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<DecodedPair> out) {
        DecodedPair decoded;
        try {
            if (raw.value == null) {
                throw new IllegalArgumentException("record has no value");
            }
            decoded = fromRecord(Codecs.IMAGE_REPORT_PAIR.decode(raw.value), raw);
        } catch (RuntimeException e) {
            LOG.warn("dead letter at {}: {}-{}@{}: {}", STAGE, raw.topic, raw.partition, raw.offset, e.getClass().getSimpleName());
            ctx.output(DeadLetterOutput.TAG, DeadLetterOutput.of(STAGE, raw, e));
            return;
        }
        // outside the try: a failure further down the chain must fail the task (and restart), not become a dead letter
        out.collect(decoded);
    }

    static DecodedPair fromRecord(ImageReportPair pair, RawRecord raw) {
        DecodedPair d = new DecodedPair();
        d.topic = raw.topic;
        d.partition = raw.partition;
        d.offset = raw.offset;
        d.rawKey = raw.key;
        d.rawValue = raw.value;
        d.pairId = pair.getPairId();
        d.source = pair.getSource();
        d.split = pair.getSplit().name();
        d.imageData = bytes(pair.getImage().getData());
        d.imageFormat = pair.getImage().getFormat().name();
        d.width = pair.getImage().getWidth();
        d.height = pair.getImage().getHeight();
        d.report = pair.getReport();
        d.boxes = new int[pair.getRegions().size()][];
        for (int i = 0; i < d.boxes.length; i++) {
            Box b = pair.getRegions().get(i);
            d.boxes[i] = new int[] {b.getX(), b.getY(), b.getWidth(), b.getHeight()};
        }
        if (pair.getGroundTruth() != null) {
            int regions = d.boxes.length;
            for (RegionTruth t : pair.getGroundTruth()) {
                regions = Math.max(regions, t.getRegionIndex() + 1);
            }
            d.groundTruth = new String[regions][0];
            for (RegionTruth t : pair.getGroundTruth()) {
                if (t.getRegionIndex() >= 0) {
                    d.groundTruth[t.getRegionIndex()] = t.getAttributes().stream().map(CharSequence::toString).toArray(String[]::new);
                }
            }
        }
        d.eventTime = pair.getEventTime().toEpochMilli();
        return d;
    }

    static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
