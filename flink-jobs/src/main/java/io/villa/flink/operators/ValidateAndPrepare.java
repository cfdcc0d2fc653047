package io.villa.flink.operators;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.villa.flink.attributes.AttributeExtractor;
import io.villa.flink.attributes.AttributeVocabulary;
import io.villa.flink.attributes.ExtractedAttributes;
import io.villa.flink.io.DeadLetterOutput;
import io.villa.flink.prepare.RegionPixels;
import io.villa.records.Box;

/**
 * Checks a decoded pair and cuts it into regions: the image decodes (PNG/JPEG, grey or RGB) at the size the
 * record states, the report has sentences, every box lies inside the image and is at least the minimum
 * size (the configured grid stands in when the record has no boxes). Failures become dead letters.
 */
public final class ValidateAndPrepare extends ProcessFunction<DecodedPair, PreparedPair> {

    public static final String STAGE = "decompose.validate";
    private static final Logger LOG = LoggerFactory.getLogger(ValidateAndPrepare.class);

    private final PrepareConfig config;
    private final InputLimits limits;
    private final AttributeExtractor extractor;

    /** With DocMNIST's vocabulary and the shipped triggers. */
    public ValidateAndPrepare(PrepareConfig config, InputLimits limits) {
        this(config, limits, new AttributeExtractor(AttributeVocabulary.docMnist()));
    }

    /**
     * @param extractor finds the report's attributes here, once per pair, at this stage's parallelism (the learner, at
     *                  parallelism 1, then never reads the report again)
     */
    public ValidateAndPrepare(PrepareConfig config, InputLimits limits, AttributeExtractor extractor) {
        this.config = config;
        this.limits = limits;
        this.extractor = extractor;
    }

    @Override
    public void processElement(DecodedPair pair, Context ctx, Collector<PreparedPair> out) {
        PreparedPair prepared;
        try {
            prepared = prepare(pair);
        } catch (InvalidPairException | RuntimeException e) {
            LOG.warn(
                    "dead letter at {}: pair {} ({}-{}@{}): {}",
                    STAGE,
                    pair.pairId,
                    pair.topic,
                    pair.partition,
                    pair.offset,
                    e.getMessage());
            ctx.output(
                    DeadLetterOutput.TAG,
                    DeadLetterOutput.of(
                            STAGE,
                            pair.topic,
                            pair.partition,
                            pair.offset,
                            pair.rawKey,
                            pair.rawValue,
                            e,
                            limits.maxOutputRecordBytes()));
            return;
        }
        // outside the try: a failure further down the chain must fail the task (and restart), not become a dead letter
        out.collect(prepared);
    }

    PreparedPair prepare(DecodedPair pair) throws InvalidPairException {
        ExtractedAttributes found = extractor.extract(pair.report);
        List<String> sentences = found.sentences();
        if (sentences.isEmpty()) {
            throw new InvalidPairException("report has no sentences");
        }
        BufferedImage image = decode(pair);
        int[][] boxes = pair.boxes.length > 0 ? pair.boxes : grid(image.getWidth(), image.getHeight());
        PreparedPair p = new PreparedPair();
        p.boxes = boxes;
        p.regionPixels = new byte[boxes.length][];
        p.regionPng = new byte[boxes.length][];
        for (int i = 0; i < boxes.length; i++) {
            Box box = check(boxes[i], i, image);
            p.regionPixels[i] = RegionPixels.pixels(image, box, config.regionSize());
            p.regionPng[i] = RegionPixels.png(image, box);
            if (p.regionPng[i].length > limits.maxOutputRecordBytes()) {
                // checked crop by crop: a pair of many large boxes never holds more than one oversized crop
                throw new InvalidPairException(
                        "region " + i + " is " + p.regionPng[i].length + " bytes as PNG, over the sink's "
                                + "record limit of " + limits.maxOutputRecordBytes() + " (--max-output-record-bytes)");
            }
        }
        if (pair.groundTruth != null && pair.groundTruth.length > boxes.length) {
            throw new InvalidPairException("ground truth names region " + (pair.groundTruth.length - 1)
                    + " but the pair has " + boxes.length + " regions");
        }
        p.pairId = pair.pairId;
        p.split = pair.split;
        p.eventTime = pair.eventTime;
        p.imageData = pair.imageData;
        p.imageFormat = pair.imageFormat;
        p.width = image.getWidth();
        p.height = image.getHeight();
        p.report = pair.report;
        p.sentences = sentences.toArray(String[]::new);
        Extracted.store(found, p);
        p.groundTruth = pair.groundTruth;
        p.topic = pair.topic;
        p.partition = pair.partition;
        p.offset = pair.offset;
        p.rawKey = pair.rawKey;
        p.rawValue = pair.rawValue;
        return p;
    }

    /**
     * Reads the image header first: its dimensions must be the record's and within the pixel limit before a
     * single pixel is decoded (a 100 KB PNG can honestly be 30000x30000 and take gigabytes to decode).
     */
    private BufferedImage decode(DecodedPair pair) throws InvalidPairException {
        if (pair.imageData == null || pair.imageData.length == 0) {
            throw new InvalidPairException("image does not decode as " + pair.imageFormat + " (no bytes)");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(pair.imageData))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new InvalidPairException(
                        "image does not decode as " + pair.imageFormat + " (no reader accepts the bytes)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                DecodePairs.checkPixels(width, height, "the image header states", limits);
                if (width != pair.width || height != pair.height) {
                    throw new InvalidPairException("image is " + width + "x" + height + " but the record says "
                            + pair.width + "x" + pair.height);
                }
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new InvalidPairException("image does not decode as " + pair.imageFormat + ": " + e.getMessage());
        }
    }

    private Box check(int[] b, int index, BufferedImage image) throws InvalidPairException {
        if (b == null || b.length != 4) {
            throw new InvalidPairException("region " + index + " is not a box");
        }
        int x = b[0];
        int y = b[1];
        int w = b[2];
        int h = b[3];
        if (x < 0 || y < 0 || w <= 0 || h <= 0 || (long) x + w > image.getWidth() || (long) y + h > image.getHeight()) {
            throw new InvalidPairException("region " + index + " box " + x + "," + y + " " + w + "x" + h
                    + " lies outside the " + image.getWidth() + "x" + image.getHeight() + " image");
        }
        if (w < config.minRegionSize() || h < config.minRegionSize()) {
            throw new InvalidPairException("region " + index + " box " + w + "x" + h + " is smaller than the minimum "
                    + config.minRegionSize() + " pixels");
        }
        return new Box(x, y, w, h);
    }

    /** Rows x columns cells covering the image (the last row/column takes the remainder). */
    int[][] grid(int width, int height) {
        int rows = config.gridRows();
        int cols = config.gridColumns();
        int[][] out = new int[rows * cols][];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int x0 = c * width / cols;
                int y0 = r * height / rows;
                int x1 = (c + 1) * width / cols;
                int y1 = (r + 1) * height / rows;
                out[r * cols + c] = new int[] {x0, y0, x1 - x0, y1 - y0};
            }
        }
        return out;
    }
}
