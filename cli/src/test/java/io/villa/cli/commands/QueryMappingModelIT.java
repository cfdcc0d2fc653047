package io.villa.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.villa.cli.VillaCommand;
import io.villa.flink.mapping.MappingArtifact;
import io.villa.flink.mapping.MappingConfig;
import io.villa.flink.mapping.MappingExample;
import io.villa.flink.mapping.MappingModel;
import picocli.CommandLine;

/**
 * villa query --mapping-model on a published, briefly trained mapping model: regions are solid colours, the
 * report names colours, and each named colour must go to the region of that colour.
 */
class QueryMappingModelIT {

    static final List<String> WORDS = List.of("red", "green", "blue", "yellow");
    static final float[][] RGB = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 1, 0}};
    static final int SIZE = 12;

    @TempDir
    static Path root;

    static Path image;

    @BeforeAll
    static void publishATrainedModelAndDrawAnImage() throws Exception {
        MappingConfig config = MappingConfig.builder()
                .optHeadWidth(16)
                .optEmbeddingDim(8)
                .optLearningRate(5e-3f)
                .optBatchSize(16)
                .optReplaySize(256)
                .optPasses(4)
                .optWarmup(32, 40)
                .optRegionSize(SIZE)
                .optEncoder(MappingConfig.PIXELS)
                .optSeed(7L)
                .build();
        List<MappingExample> train = examples(320, new Random(1));
        byte[] parameters;
        try (MappingModel model = new MappingModel(config, WORDS.size())) {
            for (int step = 0; step < 150; step++) {
                int from = 16 * (step % 20);
                model.trainStep(train.subList(from, from + 16));
            }
            parameters = model.parameters();
        }
        // two versions: given the root, the command takes the newest
        for (long version : new long[] {75, 150}) {
            MappingArtifact.builder()
                    .setConfig(config)
                    .setVocabulary(WORDS)
                    .setVersion(version)
                    .setParameters(parameters)
                    .optTrainSeen(320)
                    .build()
                    .write(root.resolve("models"));
        }
        // blue | red | green, 28 pixels each
        BufferedImage img = new BufferedImage(84, 28, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(20, 30, 230));
        g.fillRect(0, 0, 28, 28);
        g.setColor(new Color(230, 25, 20));
        g.fillRect(28, 0, 28, 28);
        g.setColor(new Color(30, 220, 40));
        g.fillRect(56, 0, 28, 28);
        g.dispose();
        image = root.resolve("image.png");
        ImageIO.write(img, "png", image.toFile());
    }

    /** Images of 2 or 3 noisy solid-colour regions, the report naming their colours (as the flink-jobs tests). */
    static List<MappingExample> examples(int n, Random random) {
        List<MappingExample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int regions = 2 + random.nextInt(2);
            List<Integer> colours = new ArrayList<>(List.of(0, 1, 2, 3));
            Collections.shuffle(colours, random);
            List<byte[]> pixels = new ArrayList<>();
            for (int r = 0; r < regions; r++) {
                byte[] p = new byte[3 * SIZE * SIZE];
                for (int ch = 0; ch < 3; ch++) {
                    for (int k = 0; k < SIZE * SIZE; k++) {
                        p[ch * SIZE * SIZE + k] =
                                (byte) Math.round(255 * (0.8f * RGB[colours.get(r)][ch] + 0.2f * random.nextFloat()));
                    }
                }
                pixels.add(p);
            }
            out.add(new MappingExample(
                    pixels,
                    colours.subList(0, regions).stream()
                            .mapToInt(Integer::intValue)
                            .sorted()
                            .toArray(),
                    null));
        }
        return out;
    }

    record Run(int exit, String out, String err) {}

    static Run query(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        CommandLine villa = VillaCommand.commandLine();
        villa.setErr(new PrintWriter(err, true));
        PrintStream original = System.out;
        int exit;
        try {
            System.setOut(new PrintStream(out, true));
            List<String> all = new ArrayList<>(List.of("query"));
            all.addAll(List.of(args));
            exit = villa.execute(all.toArray(String[]::new));
        } finally {
            System.setOut(original);
        }
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void eachAttributeOfTheReportGoesToTheRegionOfItsColour() {
        Run run = query(
                "--mapping-model",
                root.resolve("models").toString(),
                "--image",
                image.toString(),
                "--box",
                "0,0,28,28",
                "--box",
                "28,0,28,28",
                "--box",
                "56,0,28,28",
                "--report",
                "the color is red . a green one . nothing else");
        assertThat(run.exit()).as(run.err()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(0)).contains("v000000000150", "version 150", "4 attributes");
        assertThat(lines.get(1)).startsWith("attribute");
        // best region first for each attribute: red is region 1, green region 2; blue is not in the report
        assertThat(lines.stream().filter(l -> l.startsWith("red ")).findFirst())
                .get()
                .as(run.out())
                .satisfies(l -> assertThat(l.trim().split("\\s+")[1]).isEqualTo("1"));
        assertThat(lines.stream().filter(l -> l.startsWith("green ")).findFirst())
                .get()
                .as(run.out())
                .satisfies(l -> assertThat(l.trim().split("\\s+")[1]).isEqualTo("2"));
        assertThat(lines).noneMatch(l -> l.startsWith("blue ") || l.startsWith("yellow "));
        assertThat(lines.stream().filter(l -> l.startsWith("red ")).findFirst().get())
                .contains("28,0,28,28");
    }

    @Test
    void aVersionDirectoryCanBeGivenToo() {
        Run run = query(
                "--mapping-model",
                root.resolve("models").resolve("v000000000075").toString(),
                "--image",
                image.toString(),
                "--grid",
                "1",
                "--report",
                "blue");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("v000000000075").containsPattern("(?m)^blue\\s+0\\s+0,0,84,28\\s");
    }

    @Test
    void exactlyOneModelIsAllowedAndEachNeedsItsText() {
        String models = root.resolve("models").toString();
        Run both = query(
                "--mapping-model",
                models,
                "--report",
                "red",
                "--checkpoint",
                models,
                "--text",
                "red",
                "--image",
                image.toString());
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("mutually exclusive", "--checkpoint", "--mapping-model");
        Run neither = query("--image", image.toString());
        assertThat(neither.exit()).isEqualTo(2);
        assertThat(neither.err()).contains("Missing required argument", "--checkpoint", "--mapping-model");
        Run noReport = query("--mapping-model", models, "--image", image.toString());
        assertThat(noReport.exit()).isEqualTo(2);
        assertThat(noReport.err()).contains("--report");
        Run mixed = query("--mapping-model", models, "--text", "red", "--image", image.toString());
        assertThat(mixed.exit()).isEqualTo(2);
        Run empty = query("--mapping-model", root.toString(), "--report", "red", "--image", image.toString());
        assertThat(empty.exit()).isEqualTo(1);
        assertThat(empty.err()).contains("holds no published mapping model");
    }
}
