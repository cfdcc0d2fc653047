package io.villa.trainer;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;

import javax.imageio.ImageIO;

import io.villa.records.Box;
import io.villa.records.Image;
import io.villa.records.ImageFormat;
import io.villa.records.ImageReportPair;
import io.villa.records.RegionTruth;
import io.villa.records.Split;

/**
 * TEMPORARY stand-in for the producers module's DocMnistGenerator (not yet available): DocMNIST-format
 * pairs (84x84, 3x3 cells, coloured digits, optional shape outlines, template sentences, ground truth)
 * with digits drawn from a font instead of MNIST.
 */
public final class DocMnistData {

    private static final String[] DIGITS = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"};
    private static final String[] COLOURS = {"red", "yellow", "green", "blue", "purple"};
    private static final Color[] RGB = {Color.getHSBColor(0f, 1f, 1f), Color.getHSBColor(0.2f, 1f, 1f),
            Color.getHSBColor(0.4f, 1f, 1f), Color.getHSBColor(0.6f, 1f, 1f), Color.getHSBColor(0.8f, 1f, 1f)};
    private static final String[] SIZES = {"small", "medium", "large"};

    private DocMnistData() {
    }

    public static List<ImageReportPair> pairs(Split split, int budget, int complexity, long seed) {
        Random random = new Random(seed);
        List<ImageReportPair> out = new ArrayList<>();
        int used = 0;
        while (true) {
            BufferedImage img = new BufferedImage(84, 84, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            List<Integer> cells = new ArrayList<>(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8));
            Collections.shuffle(cells, random);
            List<Box> boxes = new ArrayList<>();
            List<RegionTruth> truth = new ArrayList<>();
            List<String> sentences = new ArrayList<>();
            int count = 0;
            for (int cell : cells) {
                int digit = random.nextInt(10);
                int colour = random.nextInt(5);
                boolean shape = random.nextInt(3) < 2;
                int n = shape ? 4 : 2;
                if (count + n > complexity) {
                    break;
                }
                count += n;
                int x = (cell % 3) * 28;
                int y = (cell / 3) * 28;
                g.setColor(RGB[colour]);
                g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 22));
                g.drawString(Integer.toString(digit), x + 8, y + 22);
                List<String> attrs = new ArrayList<>(List.of(DIGITS[digit], COLOURS[colour]));
                sentences.add(random.nextBoolean() ? "the number is a " + DIGITS[digit] : "the digit is " + DIGITS[digit]);
                sentences.add(random.nextBoolean() ? "the color is " + COLOURS[colour] : "the digit color is " + COLOURS[colour]);
                if (shape) {
                    int size = random.nextInt(3);
                    boolean circle = random.nextBoolean();
                    int s = 8 + size * 6;
                    g.setColor(Color.WHITE);
                    g.setStroke(new BasicStroke(1.5f));
                    int sx = x + random.nextInt(28 - s);
                    int sy = y + random.nextInt(28 - s);
                    if (circle) {
                        g.drawOval(sx, sy, s, s);
                    } else {
                        g.drawRect(sx, sy, s, s);
                    }
                    attrs.add(circle ? "circle" : "square");
                    attrs.add(SIZES[size]);
                    sentences.add("the shape is a " + (circle ? "circle" : "square"));
                    sentences.add(random.nextBoolean() ? "the shape size is " + SIZES[size] : "the size is " + SIZES[size]);
                }
                truth.add(new RegionTruth(boxes.size(), attrs));
                boxes.add(new Box(x, y, 28, 28));
            }
            g.dispose();
            if (used + count > budget || count == 0) {
                return out;
            }
            used += count;
            List<String> report = new ArrayList<>(new LinkedHashSet<>(sentences));
            Collections.shuffle(report, random);
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            try {
                ImageIO.write(img, "png", png);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            out.add(ImageReportPair.newBuilder()
                    .setPairId("docmnist-" + split.name().toLowerCase() + "-" + seed + "-" + out.size())
                    .setSource("test")
                    .setSplit(split)
                    .setImage(new Image(ByteBuffer.wrap(png.toByteArray()), ImageFormat.PNG, 84, 84))
                    .setReport(String.join(" . ", report))
                    .setRegions(boxes)
                    .setGroundTruth(truth)
                    .setEventTime(Instant.ofEpochMilli(0))
                    .build());
        }
    }
}
