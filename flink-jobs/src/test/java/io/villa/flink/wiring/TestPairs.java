package io.villa.flink.wiring;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import javax.imageio.ImageIO;

import io.villa.producers.docmnist.DocMnistConfig;
import io.villa.producers.docmnist.DocMnistGenerator;
import io.villa.producers.mnist.MnistDigits;
import io.villa.records.Box;
import io.villa.records.Image;
import io.villa.records.ImageFormat;
import io.villa.records.ImageReportPair;
import io.villa.records.Split;

/** Real DocMNIST pairs (the producers' generator) and broken inputs of each kind the decode and validate stages refuse, for the tests. */
public final class TestPairs {

    private static MnistDigits digits;

    private TestPairs() {}

    public static synchronized DocMnistGenerator generator(long seed, int complexity) {
        if (digits == null) {
            digits = MnistDigits.fromDefaultCache();
        }
        return new DocMnistGenerator(
                digits,
                DocMnistConfig.builder()
                        .optSeed(seed)
                        .optTargetComplexity(complexity)
                        .build());
    }

    public static List<ImageReportPair> take(DocMnistGenerator generator, Split split, int n) {
        List<ImageReportPair> out = new ArrayList<>(n);
        Iterator<ImageReportPair> it = generator.records(split);
        while (out.size() < n && it.hasNext()) {
            out.add(it.next());
        }
        return out;
    }

    /** A copy of {@code good} under a new id, changed by {@code change}. */
    static ImageReportPair broken(
            ImageReportPair good, String id, java.util.function.Consumer<ImageReportPair.Builder> change) {
        ImageReportPair.Builder b = ImageReportPair.newBuilder(good).setPairId(id);
        change.accept(b);
        return b.build();
    }

    static ImageReportPair undecodableImage(ImageReportPair good) {
        return broken(
                good,
                "broken-image",
                b -> b.setImage(Image.newBuilder(good.getImage())
                        .setData(ByteBuffer.wrap("these bytes are not a PNG".getBytes(StandardCharsets.UTF_8)))
                        .build()));
    }

    static ImageReportPair emptyReport(ImageReportPair good) {
        return broken(good, "broken-report", b -> b.setReport("  .  "));
    }

    static ImageReportPair boxOutside(ImageReportPair good) {
        int w = good.getImage().getWidth();
        return broken(
                good,
                "broken-box-outside",
                b -> b.setRegions(List.of(new Box(0, 0, 28, 28), new Box(w - 10, 0, 28, 28))));
    }

    static ImageReportPair regionTooSmall(ImageReportPair good) {
        return broken(
                good, "broken-box-small", b -> b.setRegions(List.of(new Box(0, 0, 28, 28), new Box(30, 30, 3, 3))));
    }

    /** A pair around any image, with no boxes (the job's grid applies). */
    static ImageReportPair pairWithImage(String id, byte[] encoded, ImageFormat format, int width, int height) {
        return ImageReportPair.newBuilder()
                .setPairId(id)
                .setSource("test")
                .setSplit(Split.TRAIN)
                .setImage(new Image(ByteBuffer.wrap(encoded), format, width, height))
                .setReport("the color is red . the number is a seven")
                .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L))
                .build();
    }

    static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
