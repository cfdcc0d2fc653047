package io.villa.trainer.oracle;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.imageio.ImageIO;

import io.villa.language.PhraseMatcher;
import io.villa.language.SentenceSplitter;
import io.villa.records.Box;
import io.villa.records.Image;
import io.villa.records.ImageFormat;
import io.villa.records.ImageReportPair;
import io.villa.records.RegionAttributePair;
import io.villa.records.RegionTruth;
import io.villa.schemas.PairImages;

/**
 * ORACLE decomposition: turns a synthetic ImageReportPair into the RegionAttributePairs a perfect
 * mapping model would produce, using the pair's GROUND TRUTH. It is not ViLLA's stage 1 and must
 * never feed a real run's numbers as if it were; it exists to develop and test the trainer, to give
 * {@code villa eval} held-out regions without Kafka, and to bound what stage 2 can reach.
 *
 * <p>Each region with ground truth becomes one record: its crop, its true attributes, and for each
 * attribute one report sentence naming it (whole word) joined with " . ". The whole image becomes one
 * more record (regionIndex -1) with the whole report; its ground truth is the union of the regions'.
 */
public final class OracleDecomposition {

    /** Version stamped on oracle records (the mapping model version field), so they are recognisable. */
    public static final long ORACLE_MODEL_VERSION = -1L;

    static {
        System.setProperty("java.awt.headless", "true");
        ImageIO.setUseCache(false); // the default spools every decoded stream through a temp file: 4x slower
    }

    private OracleDecomposition() {}

    public static List<RegionAttributePair> decompose(ImageReportPair pair) {
        if (pair.getGroundTruth() == null) {
            throw new IllegalArgumentException(pair.getPairId() + ": no ground truth, the oracle cannot decompose it");
        }
        BufferedImage image = PairImages.decode(pair);
        List<String> sentences = sentences(pair.getReport().toString());
        List<RegionAttributePair> out = new ArrayList<>();
        Set<String> all = new LinkedHashSet<>();
        for (RegionTruth truth : pair.getGroundTruth()) {
            int index = truth.getRegionIndex();
            if (index < 0 || index >= pair.getRegions().size()) {
                throw new IllegalArgumentException(pair.getPairId() + ": ground truth names region " + index
                        + " but the pair has " + pair.getRegions().size());
            }
            List<String> attributes =
                    truth.getAttributes().stream().map(CharSequence::toString).toList();
            all.addAll(attributes);
            List<String> assigned = new ArrayList<>();
            for (String a : attributes) {
                PhraseMatcher<String> word = PhraseMatcher.literal(List.of(a));
                sentences.stream()
                        .filter(s -> !word.valuesIn(s).isEmpty())
                        .findFirst()
                        .ifPresent(assigned::add);
            }
            Box box = pair.getRegions().get(index);
            out.add(record(
                    pair, index, false, box, crop(image, box), attributes, String.join(" . ", assigned), attributes));
        }
        Box whole = new Box(0, 0, image.getWidth(), image.getHeight());
        List<String> union = new ArrayList<>(all);
        out.add(record(
                pair, -1, true, whole, pair.getImage(), union, pair.getReport().toString(), union));
        return out;
    }

    private static RegionAttributePair record(
            ImageReportPair pair,
            int index,
            boolean wholeImage,
            Box box,
            Image crop,
            List<String> attributes,
            String text,
            List<String> truth) {
        return RegionAttributePair.newBuilder()
                .setPairId(pair.getPairId())
                .setRegionIndex(index)
                .setWholeImage(wholeImage)
                .setBox(box)
                .setRegionImage(crop)
                .setAttributes(new ArrayList<>(attributes))
                .setText(text)
                .setScores(Map.of())
                .setModelVersion(ORACLE_MODEL_VERSION)
                .setSplit(pair.getSplit())
                .setGroundTruth(new ArrayList<>(truth))
                .setEventTime(pair.getEventTime() == null ? Instant.now() : pair.getEventTime())
                .build();
    }

    static List<String> sentences(String report) {
        return SentenceSplitter.standard().split(report);
    }

    /** The box's pixels as a PNG. */
    public static Image crop(BufferedImage image, Box box) {
        int x = Math.max(0, box.getX());
        int y = Math.max(0, box.getY());
        int w = Math.min(image.getWidth() - x, box.getWidth());
        int h = Math.min(image.getHeight() - y, box.getHeight());
        BufferedImage sub = image.getSubimage(x, y, w, h);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ImageIO.write(sub, "png", png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Image(ByteBuffer.wrap(png.toByteArray()), ImageFormat.PNG, w, h);
    }
}
