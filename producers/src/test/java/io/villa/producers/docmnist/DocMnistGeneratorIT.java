package io.villa.producers.docmnist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.villa.producers.mnist.DigitPool;
import io.villa.producers.mnist.TestMnist;
import io.villa.records.ImageReportPair;
import io.villa.records.RegionTruth;
import io.villa.records.Split;
import io.villa.schemas.Codecs;

/**
 * Checks generated data against the rules of the ViLLA reference generator ({@code docmnist/generate_docmnist.py}
 * and {@code utils.py}), exactly where a rule is exact and statistically over a few thousand images otherwise.
 */
class DocMnistGeneratorIT {

    private static final Clock FIXED = Clock.fixed(Instant.parse("2024-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final int IMAGES = 3000;

    /** The reference's caption templates, word for word; {} is the attribute word. */
    private static final Map<String, List<String>> TEMPLATES = Map.of(
            "color", List.of("the color is {}", "the digit appears to be {}", "there is a {} image", "the image is {}"),
            "digit",
                    List.of(
                            "the image shows a {}",
                            "the digit appears to be {}",
                            "there is an image showing a {}",
                            "the number is a {}"),
            "shape",
                    List.of("the shape is a {}", "the shape appears to be a {}", "there is a {}", "the image has a {}"),
            "size", List.of("the shape size is {}", "the size of the shape is {}", "the shape is {}"));

    private static final Map<String, List<String>> WORDS = Map.of(
            "color", List.of("red", "yellow", "green", "blue", "purple"),
            "digit", List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
            "shape", List.of("circle", "rectangle"),
            "size", List.of("small", "medium", "large"));

    private static DocMnistGenerator generator(DocMnistConfig config) {
        return new DocMnistGenerator(TestMnist.digits(), config, FIXED);
    }

    private static List<DocMnistSample> samples(int target, Split split, int count) {
        DocMnistGenerator generator = generator(DocMnistConfig.builder()
                .optTargetComplexity(target)
                .optBudgets(1_000_000, 1_000_000, 1_000_000)
                .build());
        List<DocMnistSample> samples = new ArrayList<>();
        Iterator<DocMnistSample> it = generator.samples(split);
        while (samples.size() < count) {
            samples.add(it.next());
        }
        return samples;
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 16, 24})
    void complexityNeverExceedsTheTargetAndAveragesWhatTheRulesGive(int target) {
        List<DocMnistSample> samples = samples(target, Split.TRAIN, IMAGES);
        DocMnistExpectation expected = DocMnistExpectation.of(
                target, TestMnist.digits().pools(42).train().labelShares());

        assertThat(samples).allSatisfy(s -> {
            assertThat(s.complexity()).isLessThanOrEqualTo(target);
            assertThat(s.regions()).hasSizeBetween(1, 9);
        });
        double complexity =
                samples.stream().mapToInt(DocMnistSample::complexity).average().orElseThrow();
        double regions =
                samples.stream().mapToInt(s -> s.regions().size()).average().orElseThrow();
        assertThat(complexity).isCloseTo(expected.complexity(), offset(0.1));
        assertThat(regions).isCloseTo(expected.regions(), offset(0.05));
    }

    @Test
    void anImageEndsAtTheFirstRegionThatDoesNotFit() {
        int target = 16;
        List<DocMnistSample> samples = samples(target, Split.TRAIN, IMAGES);
        long endedShort = 0;
        for (DocMnistSample s : samples) {
            // the image stopped because the next region (2 or 4 pairs) did not fit, or because all 9 cells are used
            assertThat(s.regions().size() == 9 || s.complexity() + 4 > target)
                    .as("%s", s)
                    .isTrue();
            if (s.regions().size() < 9 && s.complexity() <= target - 2) {
                endedShort++; // a region with a shape did not fit, and no smaller one was drawn instead
            }
        }
        // about 2/3 of the images that reach 14 pairs draw a shaped region next; redrawing would leave none here
        assertThat((double) endedShort / samples.size()).isBetween(0.3, 0.5);
    }

    @Test
    void shapesSizesColoursAndDigitsAreDrawnAsTheReferenceDoes() {
        // at target 36 every drawn region is kept (9 x 4 fits), so the kept regions are an unbiased sample of draws
        List<DocMnistSample> samples = samples(36, Split.TRAIN, 1000);
        DigitPool pool = generator(DocMnistConfig.defaults()).pool(Split.TRAIN);
        long[] shapes = new long[3]; // circle, rectangle, none
        long[] sizes = new long[3];
        long[] colors = new long[5];
        long[] digits = new long[10];
        for (DocMnistSample sample : samples) {
            assertThat(sample.regions()).hasSize(9);
            for (DocMnistRegion region : sample.regions()) {
                shapes[region.hasShape() ? region.shape() : 2]++;
                if (region.hasShape()) {
                    sizes[region.size()]++;
                } else {
                    assertThat(region.size()).isEqualTo(-1);
                }
                colors[region.color()]++;
                digits[region.digit()]++;
            }
        }
        long regions = 9L * samples.size();
        for (long count : shapes) {
            assertThat(share(count, regions)).isCloseTo(1.0 / 3, offset(4 * sd(1.0 / 3, regions)));
        }
        for (long count : sizes) {
            assertThat(share(count, regions))
                    .as("each size is 2/9 of the regions")
                    .isCloseTo(2.0 / 9, offset(4 * sd(2.0 / 9, regions)));
        }
        for (long count : colors) {
            assertThat(share(count, regions)).isCloseTo(0.2, offset(4 * sd(0.2, regions)));
        }
        double[] digitShares = pool.labelShares();
        for (int d = 0; d < 10; d++) {
            assertThat(share(digits[d], regions)).isCloseTo(digitShares[d], offset(4 * sd(digitShares[d], regions)));
        }
    }

    @Test
    void shapesHaveTheReferenceGeometry() {
        Map<String, Set<Integer>> spans = new HashMap<>();
        Set<Integer> positions = new HashSet<>();
        for (DocMnistSample sample : samples(36, Split.TRAIN, 300)) {
            for (DocMnistRegion region : sample.regions()) {
                if (!region.hasShape()) {
                    assertThat(region.shapePixels()).isEmpty();
                    continue;
                }
                assertThat(region.shapeRow()).isBetween(5, 19);
                assertThat(region.shapeCol()).isBetween(5, 19);
                positions.add(region.shapeRow());
                positions.add(region.shapeCol());
                List<Perimeters.Pixel> pixels = region.shapePixels();
                assertThat(pixels).allMatch(p -> p.row() >= 0 && p.row() < 28 && p.col() >= 0 && p.col() < 28);
                String key = DocMnistVocabulary.SHAPES.get(region.shape()) + " "
                        + DocMnistVocabulary.SIZES.get(region.size());
                spans.computeIfAbsent(key, k -> new HashSet<>()).add(PerimetersTest.span(pixels, true));
                spans.get(key).add(PerimetersTest.span(pixels, false));
                if (region.shape() == DocMnistRegion.CIRCLE) {
                    int radius = PerimetersTest.span(pixels, true) / 2;
                    assertThat(pixels).contains(new Perimeters.Pixel(region.shapeRow() - radius, region.shapeCol()));
                } else {
                    assertThat(pixels).contains(new Perimeters.Pixel(region.shapeRow() - 1, region.shapeCol() - 1));
                }
            }
        }
        // circle: 2r + 1 for radius 1, 3, 5; rectangle: rad + 3 for rad 1, 4, 7 (never clipped at these positions)
        assertThat(spans)
                .containsOnly(
                        Map.entry("circle small", Set.of(3)),
                        Map.entry("circle medium", Set.of(7)),
                        Map.entry("circle large", Set.of(11)),
                        Map.entry("rectangle small", Set.of(4)),
                        Map.entry("rectangle medium", Set.of(7)),
                        Map.entry("rectangle large", Set.of(10)));
        assertThat(positions).hasSize(15);
    }

    @Test
    void regionsFillAUniformChoiceOfCellsInAscendingOrder() {
        List<DocMnistSample> samples = samples(8, Split.TRAIN, IMAGES);
        long[] cells = new long[9];
        for (DocMnistSample sample : samples) {
            for (int t = 0; t < sample.regions().size(); t++) {
                DocMnistRegion region = sample.regions().get(t);
                cells[region.cell()]++;
                if (t > 0) {
                    assertThat(region.cell())
                            .isGreaterThan(sample.regions().get(t - 1).cell());
                }
            }
        }
        // chi-square against uniform, 8 degrees of freedom, critical value at p = 0.001
        assertThat(chiSquareUniform(cells)).isLessThan(26.12);
    }

    @Test
    void digitsComeFromTheSeededPoolOfTheirSplit() {
        DocMnistGenerator generator =
                generator(DocMnistConfig.builder().optSeed(23).build());
        for (Split split : Split.values()) {
            DigitPool pool = generator.pool(split);
            DigitPool reference = TestMnist.digits().pools(23).pool(split);
            assertThat(pool.size()).isEqualTo(reference.size());
            for (int i = 0; i < pool.size(); i += 101) {
                assertThat(pool.sourceIndex(i)).isEqualTo(reference.sourceIndex(i));
            }
            for (int index = 0; index < 200; index++) {
                for (DocMnistRegion region : generator.sample(split, index).regions()) {
                    assertThat(region.digit()).isEqualTo(pool.label(region.digitIndex()));
                }
            }
        }
        assertThat(generator(DocMnistConfig.builder().optSeed(24).build())
                        .pool(Split.VAL)
                        .sourceIndex(0))
                .isNotEqualTo(generator.pool(Split.VAL).sourceIndex(0));
    }

    @Test
    void reportSentencesAreTheReferenceTemplatesFilledWithTheGroundTruth() {
        DocMnistGenerator generator =
                generator(DocMnistConfig.builder().optTargetComplexity(16).build());
        Iterator<ImageReportPair> records = generator.records(Split.TRAIN);
        Map<String, Integer> used = new HashMap<>();
        for (int n = 0; n < 1000; n++) {
            ImageReportPair record = records.next();
            Set<String> truth = new HashSet<>();
            List<RegionTruth> regions = record.getGroundTruth();
            assertThat(regions).hasSameSizeAs(record.getRegions());
            for (int i = 0; i < regions.size(); i++) {
                assertThat(regions.get(i).getRegionIndex()).isEqualTo(i);
                truth.addAll(regions.get(i).getAttributes());
            }
            assertThat(record.getReport())
                    .doesNotContain("  ")
                    .doesNotStartWith(" ")
                    .doesNotEndWith(" ");
            Set<String> mentioned = new HashSet<>();
            for (String sentence : record.getReport().split(" \\. ")) {
                String word = matchTemplate(sentence, used);
                assertThat(truth)
                        .as("sentence '%s' belongs to a ground-truth attribute", sentence)
                        .contains(word);
                mentioned.add(word);
            }
            assertThat(mentioned)
                    .as("every ground-truth attribute has a sentence")
                    .isEqualTo(truth);
        }
        // every template is drawn, about equally often within its attribute type
        for (Map.Entry<String, List<String>> type : TEMPLATES.entrySet()) {
            long total = type.getValue().stream()
                    .mapToLong(t -> used.getOrDefault(type.getKey() + ":" + t, 0))
                    .sum();
            for (String template : type.getValue()) {
                double share = (double) used.getOrDefault(type.getKey() + ":" + template, 0) / total;
                assertThat(share)
                        .as("%s template '%s'", type.getKey(), template)
                        .isCloseTo(1.0 / type.getValue().size(), offset(0.06));
            }
        }
    }

    @Test
    void aReportHasEachSentenceOnce() {
        // nine regions of five colours: most images repeat a colour, and often its sentence
        List<DocMnistSample> samples = samples(36, Split.TRAIN, 300);
        long repeatedAttributes = 0;
        for (DocMnistSample sample : samples) {
            List<String> sentences = List.of(sample.report().split(" \\. "));
            assertThat(sentences).doesNotHaveDuplicates();
            long attributes = sample.regions().stream()
                    .mapToLong(r -> r.attributes().size())
                    .sum();
            if (sentences.size() < attributes) {
                repeatedAttributes++;
            }
        }
        assertThat(repeatedAttributes).isGreaterThan(samples.size() * 9L / 10); // without de-duplication: none
    }

    @Test
    void imagesFollowThePaintingRules() throws IOException {
        DocMnistGenerator generator =
                generator(DocMnistConfig.builder().optTargetComplexity(24).build());
        DigitPool pool = generator.pool(Split.TRAIN);
        for (int index = 0; index < 200; index++) {
            DocMnistSample sample = generator.sample(Split.TRAIN, index);
            ImageReportPair record = generator.record(sample);
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes(record)));
            assertThat(image.getWidth()).isEqualTo(84);
            assertThat(image.getHeight()).isEqualTo(84);
            assertThat(record.getImage().getWidth()).isEqualTo(84);

            Set<Integer> used = new HashSet<>();
            for (int r = 0; r < sample.regions().size(); r++) {
                DocMnistRegion region = sample.regions().get(r);
                used.add(region.cell());
                assertThat(record.getRegions().get(r).getX()).isEqualTo(region.cell() % 3 * 28);
                assertThat(record.getRegions().get(r).getY()).isEqualTo(region.cell() / 3 * 28);
                assertThat(record.getRegions().get(r).getWidth()).isEqualTo(28);
                int color = DocMnistRenderer.colorRgb(region.color());
                Set<Perimeters.Pixel> outline = new HashSet<>(region.shapePixels());
                for (int y = 0; y < 28; y++) {
                    for (int x = 0; x < 28; x++) {
                        int rgb = image.getRGB(region.left() + x, region.top() + y) & 0xFFFFFF;
                        int grey = pool.grey(region.digitIndex(), y, x);
                        if (outline.contains(new Perimeters.Pixel(y, x))) {
                            assertThat(rgb).isEqualTo(0xFFFFFF);
                        } else if (grey >= 120) {
                            assertThat(rgb).isEqualTo(color);
                        } else {
                            assertThat(rgb).isEqualTo(grey << 16 | grey << 8 | grey);
                        }
                    }
                }
            }
            for (int cell = 0; cell < 9; cell++) {
                if (!used.contains(cell)) {
                    for (int y = 0; y < 28; y++) {
                        for (int x = 0; x < 28; x++) {
                            assertThat(image.getRGB(cell % 3 * 28 + x, cell / 3 * 28 + y) & 0xFFFFFF)
                                    .isZero();
                        }
                    }
                }
            }
        }
    }

    @Test
    void colorsAreMatplotlibsHsvColormapTruncated() {
        assertThat(DocMnistVocabulary.COLORS).containsExactly("red", "yellow", "green", "blue", "purple");
        int[] expected = {0xFF0000, 0xD0FF00, 0x00FF5C, 0x0074FF, 0xB800FF
        }; // (208,255,0) (0,255,92) (0,116,255) (184,0,255)
        for (int i = 0; i < 5; i++) {
            assertThat(DocMnistRenderer.colorRgb(i))
                    .as(DocMnistVocabulary.COLORS.get(i))
                    .isEqualTo(expected[i]);
        }
    }

    @Test
    void budgetIsRespectedAndUsedUp() {
        DocMnistConfig config = DocMnistConfig.builder()
                .optTargetComplexity(16)
                .optBudgets(5_000, 1_000, 700)
                .build();
        DocMnistGenerator generator = generator(config);
        for (Split split : Split.values()) {
            long used = 0;
            long count = 0;
            Iterator<DocMnistSample> it = generator.samples(split);
            while (it.hasNext()) {
                DocMnistSample sample = it.next();
                assertThat(sample.index()).isEqualTo(count);
                used += sample.complexity();
                count++;
            }
            assertThat(used).isLessThanOrEqualTo(config.budget(split));
            // generation stopped because the next image would have exceeded the budget
            assertThat(used + generator.sample(split, count).complexity()).isGreaterThan(config.budget(split));
        }
    }

    @Test
    void continuousModeKeepsGoingPastTheBudget() {
        DocMnistGenerator generator = generator(DocMnistConfig.builder()
                .optBudgets(10, 10, 10)
                .optContinuous(true)
                .build());
        Iterator<DocMnistSample> it = generator.samples(Split.TRAIN);
        long used = 0;
        for (int i = 0; i < 100; i++) {
            used += it.next().complexity();
        }
        assertThat(it.hasNext()).isTrue();
        assertThat(used).isGreaterThan(10);
    }

    @Test
    void sameSeedGivesTheSameBytesAndAnotherSeedDoesNot() {
        DocMnistConfig config = DocMnistConfig.builder().optTargetComplexity(16).build();
        List<byte[]> first = encoded(generator(config), 300);
        List<byte[]> second = encoded(generator(config), 300);
        List<byte[]> other =
                encoded(generator(config.toBuilder().optSeed(config.seed() + 1).build()), 300);

        assertThat(first).hasSize(300);
        for (int i = 0; i < first.size(); i++) {
            assertThat(second.get(i)).isEqualTo(first.get(i));
            assertThat(other.get(i)).isNotEqualTo(first.get(i));
        }
    }

    @Test
    void pairIdsAreStableAndDistinct() {
        DocMnistGenerator generator = generator(DocMnistConfig.defaults());
        Set<String> ids = new HashSet<>();
        for (Split split : Split.values()) {
            generator.records(split).forEachRemaining(r -> ids.add(r.getPairId()));
        }
        assertThat(generator.record(generator.sample(Split.VAL, 3)).getPairId()).isEqualTo("docmnist-s42-c8-val-3");
        assertThat(ids).contains("docmnist-s42-c8-train-0", "docmnist-s42-c8-test-0");
        assertThat(ids.size()).isGreaterThan(6000); // 50,000 pairs at 7.4 per image
    }

    private static List<byte[]> encoded(DocMnistGenerator generator, int count) {
        List<byte[]> out = new ArrayList<>();
        Iterator<ImageReportPair> it = generator.records(Split.TRAIN);
        while (out.size() < count) {
            out.add(Codecs.IMAGE_REPORT_PAIR.encode(it.next()));
        }
        return out;
    }

    private static byte[] bytes(ImageReportPair record) {
        java.nio.ByteBuffer data = record.getImage().getData().duplicate();
        byte[] out = new byte[data.remaining()];
        data.get(out);
        return out;
    }

    /** The attribute word of a sentence, which must be one of the reference's templates filled with a word of its type. */
    private static String matchTemplate(String sentence, Map<String, Integer> used) {
        for (Map.Entry<String, List<String>> type : TEMPLATES.entrySet()) {
            for (String template : type.getValue()) {
                Matcher m = Pattern.compile(Pattern.quote(template).replace("{}", "\\E([a-z]+)\\Q"))
                        .matcher(sentence);
                if (m.matches() && WORDS.get(type.getKey()).contains(m.group(1))) {
                    used.merge(type.getKey() + ":" + template, 1, Integer::sum);
                    return m.group(1);
                }
            }
        }
        throw new AssertionError("'" + sentence + "' is none of the reference's templates");
    }

    private static double share(long count, long total) {
        return (double) count / total;
    }

    private static double sd(double p, long n) {
        return Math.sqrt(p * (1 - p) / n);
    }

    private static double chiSquareUniform(long[] counts) {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        double expected = (double) total / counts.length;
        double chi = 0;
        for (long c : counts) {
            chi += (c - expected) * (c - expected) / expected;
        }
        return chi;
    }
}
