package io.villa.cli.commands;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import javax.imageio.ImageIO;

import io.villa.flink.attributes.AttributeExtractor;
import io.villa.flink.attributes.AttributeVocabulary;
import io.villa.flink.mapping.Assignment;
import io.villa.flink.mapping.MappingArtifact;
import io.villa.flink.mapping.MappingExample;
import io.villa.flink.mapping.MappingModel;
import io.villa.flink.prepare.RegionPixels;
import io.villa.records.Box;
import io.villa.trainer.model.ContrastiveModel;
import io.villa.trainer.query.RegionQuery;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * villa query: which region of an image matches a text best (zero-shot, a CLIP-style checkpoint of villa train),
 * or which regions the attributes of a report go to (a published mapping model of the decomposition job).
 */
@Command(
        name = "query",
        mixinStandardHelpOptions = true,
        description = {
            "With --checkpoint: scores each region of an image against --text with a trained model and prints the ranking.",
            "With --mapping-model: maps the attributes found in --report to the image's regions as the decomposition job "
                    + "does (epsilon rule) and prints, per attribute, the regions it goes to and their scores.",
            "Regions: a grid (3x3 by default, the DocMNIST cells) or the boxes given with --box."
        })
public final class QueryCommand implements Callable<Integer> {

    /** Exactly one model: a checkpoint with its text, or a mapping model with its report. */
    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @ArgGroup(exclusive = false, heading = "CLIP-style checkpoint:%n")
        Checkpoint checkpoint;

        @ArgGroup(exclusive = false, heading = "Mapping model:%n")
        Mapping mapping;
    }

    static final class Checkpoint {
        @Option(
                names = "--checkpoint",
                required = true,
                description = "a checkpoint directory (ckpt-... written by villa train)")
        Path dir;

        @Option(names = "--text", required = true, description = "the query text, e.g. \"the color is red\"")
        String text;

        @Option(names = "--device", converter = DeviceName.class, description = "auto (default), cpu, gpu or gpu:N")
        String device;
    }

    static final class Mapping {
        @Option(
                names = "--mapping-model",
                required = true,
                paramLabel = "DIR",
                description =
                        "a published mapping model: a version directory (v<version>, with mapping.json) or the root "
                                + "holding them (then the newest version)")
        Path dir;

        @Option(
                names = "--report",
                required = true,
                paramLabel = "TEXT",
                description =
                        "the report whose attributes are mapped to regions, e.g. \"the color is red . a blue circle\"")
        String report;
    }

    @Option(names = "--image", required = true, description = "a PNG or JPEG image")
    File image;

    @Option(
            names = "--grid",
            defaultValue = "3",
            converter = PositiveInteger.class,
            description = "an N x N grid of regions when no --box is given (default ${DEFAULT-VALUE})")
    int grid;

    @Option(names = "--box", description = "a region as x,y,width,height in pixels; repeat for several")
    List<String> boxes = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        BufferedImage img = ImageIO.read(image);
        if (img == null) {
            System.err.println("villa query: " + image + " is not a readable PNG or JPEG image");
            return 2;
        }
        List<Box> regions = boxes.isEmpty() ? RegionQuery.grid(img.getWidth(), img.getHeight(), grid) : parseBoxes();
        if (source.mapping != null) {
            return mapReport(img, regions);
        }
        try (ContrastiveModel model = ContrastiveModel.load(source.checkpoint.dir, source.checkpoint.device, 0)) {
            List<RegionQuery.Scored> ranked = RegionQuery.rank(model, img, regions, source.checkpoint.text);
            System.out.printf(Locale.ROOT, "%-5s %-6s %-22s %s%n", "rank", "region", "box (x,y,w,h)", "cosine");
            int rank = 1;
            for (RegionQuery.Scored s : ranked) {
                Box b = s.box();
                System.out.printf(Locale.ROOT, "%-5d %-6d %-22s %.4f%n", rank++, s.index(), boxText(b), s.score());
            }
        }
        return 0;
    }

    /** The report's attributes, each with the regions the mapping model assigns it to (most likely first). */
    private int mapReport(BufferedImage img, List<Box> regions) throws IOException {
        Path versionDir = versionDir(source.mapping.dir);
        MappingArtifact artifact = MappingArtifact.read(versionDir);
        // a shipped vocabulary with these ids brings its surface forms ("effusion" for pleural effusion)
        AttributeVocabulary vocabulary = AttributeVocabulary.forWords(artifact.vocabulary());
        if (vocabulary.size() != artifact.vocabulary().size()) {
            // the vocabulary drops repeated words: heads and words would no longer line up
            throw new IllegalArgumentException(
                    versionDir + ": the vocabulary repeats a word: " + artifact.vocabulary());
        }
        int[] present = new AttributeExtractor(vocabulary)
                .extract(source.mapping.report)
                .present();
        System.out.printf(
                Locale.ROOT,
                "mapping model %s: version %d, %d attributes, epsilon %s%n",
                versionDir.getFileName(),
                artifact.version(),
                vocabulary.size(),
                artifact.config().epsilon());
        if (present.length == 0) {
            System.out.println("no attribute of the model's vocabulary in the report");
            return 0;
        }
        int size = artifact.config().regionSize();
        List<byte[]> pixels = new ArrayList<>();
        for (int i = 0; i < regions.size(); i++) {
            Box b = regions.get(i);
            if (b.getX() < 0
                    || b.getY() < 0
                    || b.getWidth() < 1
                    || b.getHeight() < 1
                    || b.getX() + b.getWidth() > img.getWidth()
                    || b.getY() + b.getHeight() > img.getHeight()) {
                throw new IllegalArgumentException("region " + i + " (" + boxText(b) + ") is not inside the "
                        + img.getWidth() + "x" + img.getHeight() + " image");
            }
            pixels.add(RegionPixels.pixels(img, b, size));
        }
        float[][] scores;
        try (MappingModel model = artifact.newModel()) {
            scores = model.scores(List.of(new MappingExample(pixels, present, null)))[0];
        }
        Assignment assignment =
                Assignment.of(scores, present, regions.size(), artifact.config().epsilon());
        System.out.printf(Locale.ROOT, "%-20s %-6s %-22s %s%n", "attribute", "region", "box (x,y,w,h)", "score");
        for (int a : present) {
            List<Integer> assigned = new ArrayList<>();
            for (int r = 0; r < regions.size(); r++) {
                Map<Integer, Float> onRegion = assignment.region(r);
                if (onRegion.containsKey(a)) {
                    assigned.add(r);
                }
            }
            assigned.sort(Comparator.comparingDouble(r -> -scores[a][r]));
            for (int r : assigned) {
                System.out.printf(
                        Locale.ROOT,
                        "%-20s %-6d %-22s %.4f%n",
                        vocabulary.word(a),
                        r,
                        boxText(regions.get(r)),
                        scores[a][r]);
            }
        }
        return 0;
    }

    /** A version directory as given, or the newest version under a root. */
    private static Path versionDir(Path dir) throws IOException {
        if (Files.isRegularFile(dir.resolve(MappingArtifact.MANIFEST_FILE))) {
            return dir;
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--mapping-model " + dir + " is not a directory");
        }
        return MappingArtifact.latest(dir)
                .orElseThrow(() -> new IllegalArgumentException(
                        "--mapping-model " + dir + " holds no published mapping model (neither "
                                + MappingArtifact.MANIFEST_FILE + " nor v<version> directories)"));
    }

    private static String boxText(Box b) {
        return b.getX() + "," + b.getY() + "," + b.getWidth() + "," + b.getHeight();
    }

    private List<Box> parseBoxes() {
        List<Box> out = new ArrayList<>();
        for (String spec : boxes) {
            String[] p = spec.split(",");
            if (p.length != 4) {
                throw new IllegalArgumentException("--box wants x,y,width,height, got " + spec);
            }
            out.add(new Box(
                    Integer.parseInt(p[0].trim()),
                    Integer.parseInt(p[1].trim()),
                    Integer.parseInt(p[2].trim()),
                    Integer.parseInt(p[3].trim())));
        }
        return out;
    }
}
