package io.villa.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

/**
 * Draws one {@link GalleryImage} as a PNG: the whole image enlarged (nearest neighbour, so pixels stay crisp),
 * a numbered box per region, and under it one caption per region: each assigned attribute marked correct (in the
 * region's ground truth) or wrong (struck through), then the true attributes the mapping missed there.
 */
public final class GalleryRenderer {

    static {
        Headless.ensure();   // first: the font constants below may touch AWT
    }

    public static final int SCALE = 3;

    private static final int PAD = 12;
    private static final int MIN_WIDTH = 420;
    private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Font TAG_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 11);
    private static final Color BACKGROUND = new Color(0x1e1e1e);
    private static final Color TEXT = new Color(0xdddddd);
    private static final Color MUTED = new Color(0x9a9a9a);
    static final Color CORRECT = new Color(0x7cfc8a);
    static final Color WRONG = new Color(0xff6b6b);
    static final Color MISSED = new Color(0xffc04d);
    /** Box colours, bright enough on a black image and on the dark caption area. */
    private static final Color[] PALETTE = {new Color(0x00e5ff), new Color(0xff4fd8), new Color(0xffd400), new Color(0x4f8cff),
            new Color(0xff8c1a), new Color(0xb388ff), new Color(0xffffff), new Color(0x00c853), new Color(0xff1744)};
    // a font without these glyphs would draw empty boxes: fall back to plain ASCII marks
    private static final String OK_MARK = FONT.canDisplay('\u2713') ? "\u2713" : "+";
    private static final String WRONG_MARK = FONT.canDisplay('\u2717') ? "\u2717" : "x";

    private GalleryRenderer() {
    }

    /** @throws IllegalArgumentException when the image bytes are not an image ImageIO can read */
    public static byte[] render(GalleryImage image) {
        BufferedImage drawn = draw(image);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(drawn, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode the gallery image of pair " + image.pairId(), e);
        }
        return out.toByteArray();
    }

    static BufferedImage draw(GalleryImage image) {
        BufferedImage source = decode(image);
        int scaledW = source.getWidth() * SCALE;
        int scaledH = source.getHeight() * SCALE;
        int width = Math.max(scaledW + 2 * PAD, MIN_WIDTH);

        // lay the captions out first: their number of lines decides the height
        Graphics2D scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        FontMetrics fm = scratch.getFontMetrics(FONT);
        scratch.dispose();
        List<Line> lines = new ArrayList<>();
        for (int i = 0; i < image.regions().size(); i++) {
            lines.addAll(layout(caption(image.regions().get(i), colour(i)), fm, width - 2 * PAD));
        }
        if (image.regions().stream().anyMatch(GalleryImage.Region::hasGroundTruth)) {   // the marks mean nothing without it
            lines.addAll(layout(legend(), fm, width - 2 * PAD));
        }
        int lineH = fm.getHeight() + 2;
        int height = PAD + scaledH + PAD + lines.size() * lineH + PAD;

        BufferedImage canvas = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        try {
            g.setColor(BACKGROUND);
            g.fillRect(0, 0, width, height);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            int ox = (width - scaledW) / 2;
            g.drawImage(source, ox, PAD, scaledW, scaledH, null);
            for (int i = 0; i < image.regions().size(); i++) {
                drawBox(g, image.regions().get(i), colour(i), ox, PAD, scaledW, scaledH);
            }
            g.setFont(FONT);
            int y = PAD + scaledH + PAD + fm.getAscent();
            for (Line line : lines) {
                for (Placed p : line.tokens) {
                    g.setColor(p.token.colour);
                    g.drawString(p.token.text, PAD + p.x, y);
                    if (p.token.strike) {
                        int mid = y - fm.getAscent() / 3;
                        g.drawLine(PAD + p.x, mid, PAD + p.x + p.width, mid);
                    }
                }
                y += lineH;
            }
        } finally {
            g.dispose();
        }
        return canvas;
    }

    private static BufferedImage decode(GalleryImage image) {
        try {
            BufferedImage read = ImageIO.read(new ByteArrayInputStream(image.image()));
            if (read == null) {
                throw new IllegalArgumentException("the whole image of pair " + image.pairId() + " is not in a readable format");
            }
            return read;
        } catch (IOException e) {
            throw new IllegalArgumentException("the whole image of pair " + image.pairId() + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static void drawBox(Graphics2D g, GalleryImage.Region region, Color colour, int ox, int oy, int maxW, int maxH) {
        GalleryImage.Box b = region.box();
        // clipped to the image and inset by one pixel so neighbouring cells keep both their borders
        int x = Math.max(0, b.x() * SCALE) + 1;
        int y = Math.max(0, b.y() * SCALE) + 1;
        int w = Math.min(maxW, (b.x() + b.width()) * SCALE) - x - 2;
        int h = Math.min(maxH, (b.y() + b.height()) * SCALE) - y - 2;
        if (w <= 0 || h <= 0) {
            return;
        }
        g.setColor(colour);
        g.setStroke(new BasicStroke(2f));
        g.drawRect(ox + x, oy + y, w, h);
        String tag = String.valueOf(region.index());
        g.setFont(TAG_FONT);
        FontMetrics fm = g.getFontMetrics();
        int tw = fm.stringWidth(tag) + 6;
        g.fillRect(ox + x, oy + y, tw, fm.getHeight());
        g.setColor(Color.BLACK);
        g.drawString(tag, ox + x + 3, oy + y + fm.getAscent());
    }

    private static Color colour(int i) {
        return PALETTE[i % PALETTE.length];
    }

    /** [index] then the assigned attributes with their verdict, then the missed ones. */
    private static List<Token> caption(GalleryImage.Region region, Color colour) {
        List<Token> tokens = new ArrayList<>();
        tokens.add(new Token("[" + region.index() + "]", colour, false));
        if (!region.hasGroundTruth()) {
            region.attributes().forEach(a -> tokens.add(new Token(a, TEXT, false)));
            tokens.add(new Token("(no ground truth)", MUTED, false));
            return tokens;
        }
        for (String a : region.attributes()) {
            boolean right = region.groundTruth().contains(a);
            tokens.add(right ? new Token(OK_MARK + a, CORRECT, false) : new Token(WRONG_MARK + a, WRONG, true));
        }
        List<String> missed = region.missed();
        if (!missed.isEmpty()) {
            tokens.add(new Token("missed:", MUTED, false));
            missed.forEach(a -> tokens.add(new Token(a, MISSED, false)));
        }
        return tokens;
    }

    private static List<Token> legend() {
        return List.of(new Token(OK_MARK + "correct", CORRECT, false), new Token(WRONG_MARK + "wrong", WRONG, true),
                new Token("missed (true, not assigned)", MISSED, false));
    }

    /** Words left to right, wrapping to a new (indented) line when the next one would not fit. */
    private static List<Line> layout(List<Token> tokens, FontMetrics fm, int maxWidth) {
        int space = fm.stringWidth(" ");
        int indent = tokens.isEmpty() ? 0 : fm.stringWidth(tokens.get(0).text) + space;
        List<Line> lines = new ArrayList<>();
        Line line = new Line();
        int x = 0;
        for (Token t : tokens) {
            int w = fm.stringWidth(t.text);
            if (x > 0 && x + w > maxWidth && x > indent) {
                lines.add(line);
                line = new Line();
                x = indent;
            }
            line.tokens.add(new Placed(t, x, w));
            x += w + space;
        }
        lines.add(line);
        return lines;
    }

    private record Token(String text, Color colour, boolean strike) {
    }

    private record Placed(Token token, int x, int width) {
    }

    private static final class Line {
        final List<Placed> tokens = new ArrayList<>();
    }
}
