package io.villa.producers.docmnist;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

import io.villa.records.Box;
import io.villa.records.ImageReportPair;
import io.villa.records.RegionTruth;
import io.villa.schemas.PairImages;

/**
 * A PNG contact sheet for checking data by eye: each image enlarged, its region boxes numbered, the ground-truth
 * attributes of each region and the report under it. Works for any {@link ImageReportPair}.
 */
public final class ContactSheet {

    private static final int SCALE = 4;
    private static final int PAD = 12;
    private static final int LINE = 15;
    private static final Color[] BOX_COLORS = {
        Color.CYAN,
        Color.MAGENTA,
        Color.ORANGE,
        Color.PINK,
        Color.GREEN,
        new Color(120, 160, 255),
        Color.YELLOW,
        Color.LIGHT_GRAY,
        new Color(255, 120, 120)
    };

    private ContactSheet() {}

    public static BufferedImage draw(List<ImageReportPair> records, int columns) {
        if (records.isEmpty()) {
            throw new IllegalArgumentException("no records to draw");
        }
        List<BufferedImage> images = records.stream().map(PairImages::decode).toList();
        int imageSide = images.stream()
                        .mapToInt(i -> Math.max(i.getWidth(), i.getHeight()))
                        .max()
                        .orElse(84)
                * SCALE;
        int tileWidth = Math.max(imageSide, 360) + 2 * PAD;
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        pg.setFont(font);
        FontMetrics metrics = pg.getFontMetrics();
        List<List<String>> texts = new ArrayList<>();
        int textLines = 0;
        for (ImageReportPair record : records) {
            List<String> lines = captions(record, metrics, tileWidth - 2 * PAD);
            texts.add(lines);
            textLines = Math.max(textLines, lines.size());
        }
        pg.dispose();

        int tileHeight = imageSide + 2 * PAD + textLines * LINE + PAD;
        int rows = (records.size() + columns - 1) / columns;
        int cols = Math.min(columns, records.size());
        BufferedImage sheet = new BufferedImage(cols * tileWidth, rows * tileHeight, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(new Color(30, 30, 30));
            g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
            g.setFont(font);
            for (int i = 0; i < records.size(); i++) {
                int x0 = (i % columns) * tileWidth + PAD;
                int y0 = (i / columns) * tileHeight + PAD;
                drawTile(g, records.get(i), images.get(i), texts.get(i), x0, y0, imageSide);
            }
        } finally {
            g.dispose();
        }
        return sheet;
    }

    private static void drawTile(
            Graphics2D g,
            ImageReportPair record,
            BufferedImage image,
            List<String> lines,
            int x0,
            int y0,
            int imageSide) {
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        double scale = (double) imageSide / Math.max(image.getWidth(), image.getHeight());
        g.drawImage(image, x0, y0, (int) (image.getWidth() * scale), (int) (image.getHeight() * scale), null);
        g.setStroke(new BasicStroke(2f));
        List<Box> boxes = record.getRegions();
        for (int r = 0; r < boxes.size(); r++) {
            Box box = boxes.get(r);
            g.setColor(BOX_COLORS[r % BOX_COLORS.length]);
            int bx = x0 + (int) (box.getX() * scale);
            int by = y0 + (int) (box.getY() * scale);
            g.drawRect(bx + 1, by + 1, (int) (box.getWidth() * scale) - 2, (int) (box.getHeight() * scale) - 2);
            g.drawString("r" + r, bx + 4, by + 14);
        }
        int y = y0 + imageSide + PAD + LINE - 3;
        for (String line : lines) {
            int region = line.startsWith("r") && line.length() > 1 && Character.isDigit(line.charAt(1))
                    ? line.charAt(1) - '0'
                    : -1;
            g.setColor(region >= 0 ? BOX_COLORS[region % BOX_COLORS.length] : Color.WHITE);
            g.drawString(line, x0, y);
            y += LINE;
        }
    }

    private static List<String> captions(ImageReportPair record, FontMetrics metrics, int width) {
        List<String> lines = new ArrayList<>();
        lines.add(record.getPairId() + "  (" + record.getSplit().name().toLowerCase() + ")");
        if (record.getGroundTruth() != null) {
            for (RegionTruth truth : record.getGroundTruth()) {
                lines.add("r" + truth.getRegionIndex() + ": " + String.join(" ", truth.getAttributes()));
            }
        }
        lines.add("report:");
        lines.addAll(wrap(record.getReport(), metrics, width));
        return lines;
    }

    static List<String> wrap(String text, FontMetrics metrics, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            String candidate = line.isEmpty() ? word : line + " " + word;
            if (metrics.stringWidth(candidate) > width && !line.isEmpty()) {
                lines.add(line.toString());
                line = new StringBuilder(word);
            } else {
                line = new StringBuilder(candidate);
            }
        }
        if (!line.isEmpty()) {
            lines.add(line.toString());
        }
        return lines;
    }
}
