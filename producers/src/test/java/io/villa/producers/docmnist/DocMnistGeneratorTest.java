package io.villa.producers.docmnist;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

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

/** Checks generated data against the rules of DocMNIST (docs/ARCHITECTURE.md, "DocMNIST"), statistically over a few thousand images. */
class DocMnistGeneratorTest {

    private static final Clock FIXED = Clock.fixed(Instant.parse("2024-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final int IMAGES = 3000;

    private static DocMnistGenerator generator(DocMnistConfig config) {
        return new DocMnistGenerator(TestMnist.digits(), config, FIXED);
    }

    private static List<DocMnistSample> samples(int target, Split split, int count) {
        DocMnistGenerator generator = generator(DocMnistConfig.defaults().withTargetComplexity(target)
                .withBudgets(1_000_000, 1_000_000, 1_000_000));
        List<DocMnistSample> samples = new ArrayList<>();
        Iterator<DocMnistSample> it = generator.samples(split);
        while (samples.size() < count) {
            samples.add(it.next());
        }
        return samples;
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 16, 24})
    void complexityStaysWithinTheTargetAndAveragesCloseToIt(int target) {
        List<DocMnistSample> samples = samples(target, Split.TRAIN, IMAGES);

        double average = samples.stream().mapToInt(DocMnistSample::complexity).average().orElseThrow();
        assertThat(average).isBetween(target - 1.0, (double) target);
        assertThat(samples).allSatisfy(s -> {
            assertThat(s.complexity()).isLessThanOrEqualTo(target);
            assertThat(s.regions()).hasSizeBetween(1, 9);
            assertThat(s.regions().stream().map(DocMnistRegion::cell).distinct().count()).isEqualTo(s.regions().size());
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 24})
    void attributeFrequenciesAreAsSpecified(int target) {
        List<DocMnistSample> samples = samples(target, Split.TRAIN, IMAGES);
        long[] colors = new long[5];
        long[] shapes = new long[2];
        long[] sizes = new long[3];
        long[] cells = new long[9];
        long withRoom = 0;
        long withRoomAndOutline = 0;
        for (DocMnistSample sample : samples) {
            int count = 0;
            for (DocMnistRegion region : sample.regions()) {
                colors[region.color()]++;
                cells[region.cell()]++;
                if (region.hasShape()) {
                    shapes[region.shape()]++;
                    sizes[region.size()]++;
                }
                if (count + 4 <= target) {
                    // drawn with room for an outline: the 2/3 outline probability applies unconditionally
                    withRoom++;
                    withRoomAndOutline += region.hasShape() ? 1 : 0;
                } else {
                    // drawn at the limit: only a region without an outline can be added
                    assertThat(region.hasShape()).isFalse();
                }
                count += region.complexity();
            }
        }
        // chi-square against uniform, critical values at p = 0.001
        assertThat(chiSquareUniform(colors)).isLessThan(18.47);
        assertThat(chiSquareUniform(shapes)).isLessThan(10.83);
        assertThat(chiSquareUniform(sizes)).isLessThan(13.82);
        assertThat(chiSquareUniform(cells)).isLessThan(26.12);
        double outlineShare = (double) withRoomAndOutline / withRoom;
        double sd = Math.sqrt(2.0 / 9 / withRoom);
        assertThat(Math.abs(outlineShare - 2.0 / 3)).isLessThan(4 * sd);
    }

    @Test
    void digitsFollowTheirPoolAndSplitsUseSeparatePools() {
        for (Split split : Split.values()) {
            DigitPool pool = TestMnist.digits().pool(split);
            List<DocMnistSample> samples = samples(8, split, 500);
            for (DocMnistSample sample : samples) {
                for (DocMnistRegion region : sample.regions()) {
                    assertThat(region.digit()).isEqualTo(pool.label(region.digitIndex()));
                    int source = pool.sourceIndex(region.digitIndex());
                    switch (split) {
                        case TRAIN -> assertThat(source).isLessThan(48_000);
                        case VAL -> assertThat(source).isBetween(48_000, 59_999);
                        case TEST -> assertThat(source).isBetween(0, 9_999);
                    }
                }
            }
        }
    }

    @Test
    void reportSentencesMatchTheGroundTruthExactly() {
        DocMnistGenerator generator = generator(DocMnistConfig.defaults().withTargetComplexity(16));
        Iterator<ImageReportPair> records = generator.records(Split.TRAIN);
        for (int n = 0; n < 500; n++) {
            ImageReportPair record = records.next();
            Set<String> truth = new HashSet<>();
            List<RegionTruth> regions = record.getGroundTruth();
            assertThat(regions).hasSameSizeAs(record.getRegions());
            for (int i = 0; i < regions.size(); i++) {
                assertThat(regions.get(i).getRegionIndex()).isEqualTo(i);
                truth.addAll(regions.get(i).getAttributes());
            }
            List<String> sentences = DocMnistVocabulary.splitReport(record.getReport());
            assertThat(sentences).doesNotHaveDuplicates();
            Set<String> mentioned = new HashSet<>();
            for (String sentence : sentences) {
                List<String> words = DocMnistVocabulary.attributesIn(sentence);
                assertThat(words).as("sentence '%s' names exactly one attribute", sentence).hasSize(1);
                assertThat(truth).as("sentence '%s' belongs to a ground-truth attribute", sentence).contains(words.get(0));
                assertThat(DocMnistVocabulary.sentences(words.get(0))).contains(sentence);
                mentioned.add(words.get(0));
            }
            assertThat(mentioned).as("every ground-truth attribute has a sentence").isEqualTo(truth);
        }
    }

    @Test
    void imagesFollowThePaintingRules() throws IOException {
        DocMnistGenerator generator = generator(DocMnistConfig.defaults().withTargetComplexity(24));
        DigitPool pool = TestMnist.digits().pool(Split.TRAIN);
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
                assertThat(record.getRegions().get(r).getX()).isEqualTo(region.left());
                assertThat(record.getRegions().get(r).getY()).isEqualTo(region.top());
                int color = DocMnistRenderer.colorRgb(region.color());
                int white = 0;
                for (int y = 0; y < 28; y++) {
                    for (int x = 0; x < 28; x++) {
                        int rgb = image.getRGB(region.left() + x, region.top() + y) & 0xFFFFFF;
                        int grey = pool.grey(region.digitIndex(), y, x);
                        if (rgb == 0xFFFFFF) {
                            white++;
                        } else if (grey >= 120) {
                            assertThat(rgb).isEqualTo(color);
                        } else {
                            assertThat(rgb).isEqualTo(grey << 16 | grey << 8 | grey);
                        }
                    }
                }
                if (region.hasShape()) {
                    // an outline of an n-pixel square has about 4n pixels, a circle fewer; all inside the cell
                    int extent = DocMnistRenderer.SHAPE_EXTENT[region.size()];
                    assertThat(white).isGreaterThanOrEqualTo(2 * extent);
                    assertThat(region.shapeX() + extent).isLessThanOrEqualTo(28);
                    assertThat(region.shapeY() + extent).isLessThanOrEqualTo(28);
                } else {
                    assertThat(white).isZero();
                }
            }
            for (int cell = 0; cell < 9; cell++) {
                if (!used.contains(cell)) {
                    for (int y = 0; y < 28; y++) {
                        for (int x = 0; x < 28; x++) {
                            assertThat(image.getRGB(cell % 3 * 28 + x, cell / 3 * 28 + y) & 0xFFFFFF).isZero();
                        }
                    }
                }
            }
        }
    }

    @Test
    void colorsAreEvenlySpacedHues() {
        for (int i = 0; i < 5; i++) {
            int rgb = DocMnistRenderer.colorRgb(i);
            float[] hsb = java.awt.Color.RGBtoHSB(rgb >> 16 & 0xFF, rgb >> 8 & 0xFF, rgb & 0xFF, null);
            assertThat((double) hsb[0]).isCloseTo(i / 5.0, org.assertj.core.data.Offset.offset(0.01));
            assertThat(hsb[1]).isEqualTo(1f);
        }
    }

    @Test
    void budgetIsRespectedAndUsedUp() {
        DocMnistConfig config = DocMnistConfig.defaults().withTargetComplexity(16).withBudgets(5_000, 1_000, 700);
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
        DocMnistGenerator generator = generator(DocMnistConfig.defaults().withBudgets(10, 10, 10).withContinuous(true));
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
        DocMnistConfig config = DocMnistConfig.defaults().withTargetComplexity(16);
        List<byte[]> first = encoded(generator(config), 300);
        List<byte[]> second = encoded(generator(config), 300);
        List<byte[]> other = encoded(generator(config.withSeed(config.seed() + 1)), 300);

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
