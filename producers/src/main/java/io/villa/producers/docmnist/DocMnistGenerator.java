package io.villa.producers.docmnist;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.SplittableRandom;

import io.villa.producers.mnist.DigitPool;
import io.villa.producers.mnist.DigitPools;
import io.villa.producers.mnist.MnistDigits;
import io.villa.records.Image;
import io.villa.records.ImageFormat;
import io.villa.records.ImageReportPair;
import io.villa.records.RegionTruth;
import io.villa.records.Split;

/**
 * Generates DocMNIST from the real MNIST digits, by the rules of the ViLLA reference generator
 * ({@code docmnist/generate_docmnist.py}; producers/README.md lists where we differ and why).
 *
 * <p>An image draws regions one at a time, at most 9: a uniformly drawn digit of the split's pool, a colour, and a
 * shape (circle, rectangle or none) with a size. The first region that would take the image's region-attribute pairs
 * above the target complexity is discarded and ends the image. The regions then go, in order, into as many of the 9
 * cells as there are regions, chosen uniformly and sorted. The report is one templated sentence per attribute,
 * de-duplicated over the image and shuffled.
 *
 * <p>Image {@code i} of a split depends only on (seed, target complexity, split, i): it draws from its own random
 * stream, so the same seed gives the same bytes, and any image can be generated alone (for parallel generation).
 * The seed also chooses the digit pools ({@link MnistDigits#pools}). A split ends when the next image would exceed
 * its attribute budget, unless the configuration is continuous.
 *
 * <p>Thread-safe: {@link #sample} and {@link #record} may be called concurrently; each iterator belongs to one thread.
 */
public final class DocMnistGenerator {

    public static final String SOURCE = "docmnist";
    /** A region's shape is drawn from circle, rectangle and none, uniformly (2/3 get one). */
    private static final int SHAPE_CHOICES = DocMnistVocabulary.SHAPES.size() + 1;
    private static final int CELLS = DocMnistRegion.GRID * DocMnistRegion.GRID;

    private final DigitPools pools;
    private final DocMnistConfig config;
    private final Clock clock;

    public DocMnistGenerator(MnistDigits digits, DocMnistConfig config) {
        this(digits, config, Clock.systemUTC());
    }

    /** With a clock for the records' event time (a fixed clock makes whole records reproducible). */
    public DocMnistGenerator(MnistDigits digits, DocMnistConfig config, Clock clock) {
        this.pools = digits.pools(config.seed());
        this.config = config;
        this.clock = clock;
    }

    public DocMnistConfig config() {
        return config;
    }

    public DigitPool pool(Split split) {
        return pools.pool(split);
    }

    /** What the rules give in expectation for this split (its pool's digit shares, the target complexity). */
    public DocMnistExpectation expectation(Split split) {
        return DocMnistExpectation.of(config.targetComplexity(), pool(split).labelShares());
    }

    /** The split's images as records, in order, until the budget (or forever in continuous mode). */
    public Iterator<ImageReportPair> records(Split split) {
        Iterator<DocMnistSample> samples = samples(split);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return samples.hasNext();
            }

            @Override
            public ImageReportPair next() {
                return record(samples.next());
            }
        };
    }

    /** The split's images before rendering (cheap: for statistics), with the same stopping rule as {@link #records}. */
    public Iterator<DocMnistSample> samples(Split split) {
        return new Iterator<>() {
            private final long budget = config.budget(split);
            private long index;
            private long used;
            private DocMnistSample next = advance();

            private DocMnistSample advance() {
                DocMnistSample candidate = sample(split, index);
                if (!config.continuous() && used + candidate.complexity() > budget) {
                    return null;
                }
                index++;
                used += candidate.complexity();
                return candidate;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public DocMnistSample next() {
                if (next == null) {
                    throw new NoSuchElementException("attribute budget of " + split + " reached");
                }
                DocMnistSample current = next;
                next = advance();
                return current;
            }
        };
    }

    /** Image {@code index} of {@code split}: regions and report. */
    public DocMnistSample sample(Split split, long index) {
        SplittableRandom random = new SplittableRandom(streamSeed(config.seed(), config.targetComplexity(), split, index));
        DigitPool pool = pools.pool(split);

        List<DocMnistRegion> drawn = new ArrayList<>(CELLS);
        Set<String> sentences = new LinkedHashSet<>(); // insertion-ordered: reproducible
        int complexity = 0;
        while (drawn.size() < CELLS) {
            DocMnistRegion region = drawRegion(pool, random);
            if (complexity + region.complexity() > config.targetComplexity()) {
                break; // the reference discards this region and ends the image
            }
            complexity += region.complexity();
            drawn.add(region);
            for (String word : region.attributes()) {
                int templates = DocMnistVocabulary.typeOf(word).templates().size();
                sentences.add(DocMnistVocabulary.sentence(word, random.nextInt(templates)));
            }
        }
        int[] cells = sortedCells(drawn.size(), random);
        List<DocMnistRegion> regions = new ArrayList<>(drawn.size());
        for (int t = 0; t < drawn.size(); t++) {
            regions.add(drawn.get(t).inCell(cells[t]));
        }
        List<String> report = new ArrayList<>(sentences);
        shuffle(report, random);
        return new DocMnistSample(pairId(split, index), split, index, regions,
                String.join(DocMnistVocabulary.SENTENCE_SEPARATOR, report));
    }

    /** Renders and encodes a sample as the record the producers send. */
    public ImageReportPair record(DocMnistSample sample) {
        byte[] png = PngEncoder.encode(DocMnistRenderer.render(sample, pools.pool(sample.split())));
        List<RegionTruth> truth = new ArrayList<>(sample.regions().size());
        for (int i = 0; i < sample.regions().size(); i++) {
            truth.add(new RegionTruth(i, sample.regions().get(i).attributes()));
        }
        return ImageReportPair.newBuilder()
                .setPairId(sample.pairId())
                .setSource(SOURCE)
                .setSplit(sample.split())
                .setImage(new Image(java.nio.ByteBuffer.wrap(png), ImageFormat.PNG, DocMnistRenderer.SIDE, DocMnistRenderer.SIDE))
                .setReport(sample.report())
                .setRegions(sample.regions().stream().map(DocMnistRegion::box).toList())
                .setGroundTruth(truth)
                .setEventTime(clock.instant())
                .build();
    }

    /** Stable id: the same (seed, target, split, index) always names the same image. */
    public String pairId(Split split, long index) {
        return String.format(Locale.ROOT, "docmnist-s%d-c%d-%s-%d", config.seed(), config.targetComplexity(),
                split.name().toLowerCase(Locale.ROOT), index);
    }

    /** A region before it has a cell: digit, colour, shape, size (drawn even when there is no shape), position. */
    private static DocMnistRegion drawRegion(DigitPool pool, SplittableRandom random) {
        int digitIndex = random.nextInt(pool.size());
        int color = random.nextInt(DocMnistVocabulary.COLORS.size());
        int shape = random.nextInt(SHAPE_CHOICES);
        int size = random.nextInt(DocMnistVocabulary.SIZES.size());
        if (shape == DocMnistVocabulary.SHAPES.size()) {
            return new DocMnistRegion(-1, digitIndex, pool.label(digitIndex), color, -1, -1, 0, 0);
        }
        int row = random.nextInt(DocMnistRegion.POSITION_FROM, DocMnistRegion.POSITION_TO);
        int col = random.nextInt(DocMnistRegion.POSITION_FROM, DocMnistRegion.POSITION_TO);
        return new DocMnistRegion(-1, digitIndex, pool.label(digitIndex), color, shape, size, row, col);
    }

    /** {@code count} of the 9 cells, chosen uniformly without replacement, in ascending order. */
    private static int[] sortedCells(int count, SplittableRandom random) {
        List<Integer> cells = new ArrayList<>(CELLS);
        for (int c = 0; c < CELLS; c++) {
            cells.add(c);
        }
        shuffle(cells, random);
        return cells.subList(0, count).stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    /** Fisher-Yates on the image's own stream (Collections.shuffle would need a java.util.Random). */
    private static <T> void shuffle(List<T> list, SplittableRandom random) {
        for (int i = list.size() - 1; i > 0; i--) {
            Collections.swap(list, i, random.nextInt(i + 1));
        }
    }

    /** Mixes the image's coordinates into one seed (SplitMix64 finaliser), so nearby indexes give unrelated streams. */
    static long streamSeed(long seed, int target, Split split, long index) {
        long h = mix(seed);
        h = mix(h ^ target);
        h = mix(h ^ split.ordinal());
        return mix(h ^ index);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
