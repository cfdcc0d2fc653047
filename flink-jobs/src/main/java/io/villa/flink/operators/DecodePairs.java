package io.villa.flink.operators;

import java.util.List;

import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.villa.flink.io.DeadLetterOutput;
import io.villa.flink.io.RawRecord;
import io.villa.records.Box;
import io.villa.records.Image;
import io.villa.records.ImageReportPair;
import io.villa.records.RegionTruth;
import io.villa.schemas.AvroBytes;
import io.villa.schemas.Codecs;

/**
 * Kafka bytes -> {@link DecodedPair}; bytes that are not an {@code ImageReportPair}, or one over the
 * {@link InputLimits} (value size before decoding; ids, report, image bytes and stated pixels, boxes and
 * ground-truth regions after), become dead letters.
 */
public final class DecodePairs extends ProcessFunction<RawRecord, DecodedPair> {

    public static final String STAGE = "decompose.decode";
    private static final Logger LOG = LoggerFactory.getLogger(DecodePairs.class);

    private final InputLimits limits;

    public DecodePairs(InputLimits limits) {
        this.limits = limits;
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<DecodedPair> out) {
        DecodedPair decoded;
        try {
            decoded = decode(raw);
        } catch (InvalidPairException | RuntimeException e) {
            LOG.warn(
                    "dead letter at {}: {}-{}@{}: {}",
                    STAGE,
                    raw.topic,
                    raw.partition,
                    raw.offset,
                    e.getClass().getSimpleName());
            ctx.output(DeadLetterOutput.TAG, DeadLetterOutput.of(STAGE, raw, e, limits.maxOutputRecordBytes()));
            return;
        }
        // outside the try: a failure further down the chain must fail the task (and restart), not become a dead letter
        out.collect(decoded);
    }

    DecodedPair decode(RawRecord raw) throws InvalidPairException {
        if (raw.value == null) {
            throw new InvalidPairException("record has no value");
        }
        if (raw.value.length > limits.maxRecordBytes()) {
            throw new InvalidPairException("record of " + raw.value.length + " bytes is over the limit of "
                    + limits.maxRecordBytes() + " (--max-record-bytes)");
        }
        ImageReportPair pair = Codecs.IMAGE_REPORT_PAIR.decode(raw.value);
        checkLimits(pair);
        return fromRecord(pair, raw);
    }

    /** Everything whose size later stages would trust, checked before they see it. */
    private void checkLimits(ImageReportPair pair) throws InvalidPairException {
        checkLength("pair id", pair.getPairId(), limits.maxIdChars(), "--max-id-chars");
        if (pair.getPairId().length() == 0) {
            throw new InvalidPairException("pair id is empty");
        }
        checkLength("source", pair.getSource(), limits.maxIdChars(), "--max-id-chars");
        checkLength("report", pair.getReport(), limits.maxReportChars(), "--max-report-chars");
        Image image = pair.getImage();
        if (image.getData().remaining() > limits.maxImageBytes()) {
            throw new InvalidPairException("image of " + image.getData().remaining() + " bytes is over the limit of "
                    + limits.maxImageBytes() + " (--max-image-bytes)");
        }
        checkPixels(image.getWidth(), image.getHeight(), "the record states", limits);
        if (pair.getRegions().size() > limits.maxRegions()) {
            throw new InvalidPairException(pair.getRegions().size() + " region boxes are over the limit of "
                    + limits.maxRegions() + " (--max-regions)");
        }
        List<RegionTruth> truth = pair.getGroundTruth();
        if (truth != null) {
            if (truth.size() > limits.maxRegions()) {
                throw new InvalidPairException("ground truth for " + truth.size() + " regions is over the limit of "
                        + limits.maxRegions() + " (--max-regions)");
            }
            for (RegionTruth t : truth) {
                if (t.getRegionIndex() < 0 || t.getRegionIndex() >= limits.maxRegions()) {
                    throw new InvalidPairException("ground truth names region " + t.getRegionIndex() + ", outside 0.."
                            + (limits.maxRegions() - 1) + " (--max-regions)");
                }
            }
        }
    }

    /** Width and height positive, their product within the pixel limit (no int overflow). */
    static void checkPixels(int width, int height, String whose, InputLimits limits) throws InvalidPairException {
        if (width <= 0 || height <= 0) {
            throw new InvalidPairException(whose + " an image of " + width + "x" + height + " pixels");
        }
        if ((long) width * height > limits.maxImagePixels()) {
            throw new InvalidPairException(whose + " an image of " + width + "x" + height
                    + " pixels, over the limit of " + limits.maxImagePixels() + " pixels (--max-image-pixels)");
        }
    }

    private static void checkLength(String what, CharSequence text, int max, String option)
            throws InvalidPairException {
        if (text.length() > max) {
            throw new InvalidPairException(
                    what + " of " + text.length() + " characters is over the limit of " + max + " (" + option + ")");
        }
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
        d.imageData = AvroBytes.copyOf(pair.getImage().getData());
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
            // indexes are within the region limit (checked); the validate stage checks them against the real regions
            int regions = d.boxes.length;
            for (RegionTruth t : pair.getGroundTruth()) {
                regions = Math.max(regions, t.getRegionIndex() + 1);
            }
            d.groundTruth = new String[regions][0];
            for (RegionTruth t : pair.getGroundTruth()) {
                d.groundTruth[t.getRegionIndex()] =
                        t.getAttributes().stream().map(CharSequence::toString).toArray(String[]::new);
            }
        }
        d.eventTime = pair.getEventTime().toEpochMilli();
        return d;
    }
}
