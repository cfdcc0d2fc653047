package io.villa.report;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

/** Summaries and images the tests share: realistic shapes and values, nothing mocked. */
final class Fixtures {

    private Fixtures() {}

    static RunSummary twoModels() {
        return summary(List.of(model("villa", 0.612, 0.034), model("clip", 0.447, 0.021)));
    }

    static RunSummary oneModel() {
        return summary(List.of(model("villa", 0.612, 0.034)));
    }

    static RunSummary summary(List<RunSummary.ModelSummary> models) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("complexity", "16");
        settings.put("trainBudget", "30000");
        settings.put("mode", "both");
        settings.put("seed", "7");
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("pairsProduced", 4321L);
        counts.put("pairsDecomposed", 4318L);
        counts.put("pairsDeadLettered", 3L);
        counts.put("pairsUnaccounted", 0L);
        counts.put("deadLetters", 5L);
        counts.put("regionRecords", 23456L);
        List<RunSummary.CountCheck> checks = List.of(
                new RunSummary.CountCheck("pairs produced = decomposed + dead-lettered", 4321, 4321, true),
                new RunSummary.CountCheck(
                        "docmnist-villa evaluated every VAL region with ground truth", 2711, 2711, true));
        Map<String, Map<String, Long>> splits = new LinkedHashMap<>();
        splits.put("TRAIN", splitCounts(2500, 2498, 2, 13_500, 13_400));
        splits.put("VAL", splitCounts(900, 899, 1, 2750, 2711));
        splits.put("TEST", splitCounts(921, 921, 0, 2801, 2790));
        Map<String, Long> stages = new LinkedHashMap<>();
        stages.put("decompose.validate", 3L);
        stages.put("demo.produce", 2L);
        Map<String, Map<String, Double>> quality = new LinkedHashMap<>();
        quality.put("TRAIN", quality(0.9123, 0.8877, 0.8998, 2500));
        quality.put("VAL", quality(0.8811, 0.8650, 0.8730, 900));
        quality.put("TEST", quality(0.8702, 0.8539, 0.8620, 921));
        Map<String, List<RunSummary.Point>> f1 = new LinkedHashMap<>();
        f1.put("TRAIN", curve(0.3, 0.9, 6, 400));
        f1.put("VAL", curve(0.25, 0.87, 6, 400));
        f1.put("TEST", curve(0.27, 0.86, 6, 400));
        Map<String, Map<String, Map<String, Double>>> byType = new LinkedHashMap<>();
        byType.put(
                "VAL",
                new LinkedHashMap<>(Map.of(
                        "digit", typeQuality(0.8512, 0.8233, 0.8370), "shape", typeQuality(0.9021, 0.7766, 0.8347))));
        byType.put("TEST", new LinkedHashMap<>(Map.of("digit", typeQuality(0.8433, 0.8124, 0.8276))));
        return new RunSummary(
                "2025-06-01T10:15:30Z",
                187.25,
                false,
                settings,
                counts,
                true,
                checks,
                splits,
                stages,
                new RunSummary.MappingSummary(quality, f1, byType),
                models);
    }

    static Map<String, Double> typeQuality(double precision, double recall, double f1) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("precision", precision);
        m.put("recall", recall);
        m.put("f1", f1);
        return m;
    }

    static Map<String, Long> splitCounts(
            long produced, long decomposed, long deadLettered, long regions, long evaluable) {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("pairsProduced", produced);
        m.put("pairsDecomposed", decomposed);
        m.put("pairsDeadLettered", deadLettered);
        m.put("pairsUnaccounted", produced - decomposed - deadLettered);
        m.put("regionRecords", regions);
        m.put("evaluableRegions", evaluable);
        return m;
    }

    static RunSummary.ModelSummary model(String mode, double t2r, double shift) {
        Map<String, Double> val = retrieval(t2r, shift);
        Map<String, Double> test = retrieval(t2r - 0.011, shift + 0.0042);
        Map<String, List<RunSummary.Point>> curves = new LinkedHashMap<>();
        curves.put("t2r.rprecision", curve(0.1, t2r, 8, 256));
        curves.put("r2t.rprecision", curve(0.12, t2r - 0.05, 8, 256));
        return new RunSummary.ModelSummary(
                mode,
                "docmnist-" + mode,
                900 + (long) (shift * 1000),
                57_600 + (long) (shift * 10_000),
                7,
                2 + (int) (shift * 10),
                val,
                test,
                Map.of("VAL", 2711L, "TEST", 2790L),
                curve(4.2, 1.3, 10, 512),
                curves,
                "/runs/x/trainer-" + mode + "/ckpt-000900");
    }

    static Map<String, Double> retrieval(double t2r, double shift) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("t2r.rprecision", t2r);
        m.put("t2r.precision@10", t2r + 0.0213 + shift);
        m.put("t2r.map", t2r + 0.0457);
        m.put("r2t.rprecision", t2r - 0.0733 + shift);
        m.put("r2t.precision@1", t2r - 0.0734);
        m.put("r2t.map", t2r + 0.1111 - shift);
        m.put("t2r.rprecision.chance", 0.0812);
        m.put("r2t.rprecision.chance", 0.1666);
        return m;
    }

    static Map<String, Double> quality(double precision, double recall, double f1, double images) {
        Map<String, Double> q = new LinkedHashMap<>();
        q.put("precision", precision);
        q.put("recall", recall);
        q.put("f1", f1);
        q.put("imagesScored", images);
        return q;
    }

    /** A curve rising from {@code from} to {@code to}. */
    static List<RunSummary.Point> curve(double from, double to, int points, long every) {
        List<RunSummary.Point> out = new ArrayList<>();
        for (int i = 0; i < points; i++) {
            out.add(new RunSummary.Point((i + 1) * every, from + (to - from) * i / Math.max(1, points - 1)));
        }
        return out;
    }

    /** An 84x84 DocMNIST-like picture: black, with a coloured block in each given cell of the 3x3 grid. */
    static byte[] png(int... cells) {
        BufferedImage img = new BufferedImage(84, 84, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        Color[] colours = {Color.RED, Color.YELLOW, Color.GREEN, Color.BLUE, Color.MAGENTA};
        for (int i = 0; i < cells.length; i++) {
            g.setColor(colours[i % colours.length]);
            g.fillRect((cells[i] % 3) * 28 + 8, (cells[i] / 3) * 28 + 6, 12, 16);
        }
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static GalleryImage.Box cell(int cell) {
        return new GalleryImage.Box((cell % 3) * 28, (cell / 3) * 28, 28, 28);
    }

    /** Two regions: one all correct, one with a wrong attribute and a missed one. */
    static GalleryImage galleryImage(String pairId) {
        return new GalleryImage(
                pairId,
                "TEST",
                png(0, 4),
                84,
                84,
                List.of(
                        new GalleryImage.Region(
                                0,
                                cell(0),
                                List.of("seven", "red"),
                                List.of("seven", "red"),
                                Map.of("seven", 0.91, "red", 0.88)),
                        new GalleryImage.Region(
                                4,
                                cell(4),
                                List.of("two", "circle"),
                                List.of("two", "yellow"),
                                Map.of("two", 0.8, "circle", 0.5))));
    }

    static BufferedImage decode(byte[] png) {
        try {
            return ImageIO.read(new java.io.ByteArrayInputStream(png));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
