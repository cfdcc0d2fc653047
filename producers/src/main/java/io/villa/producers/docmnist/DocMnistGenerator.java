package io.villa.producers.docmnist;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;

import io.villa.producers.mnist.DigitPool;
import io.villa.producers.mnist.MnistDigits;
import io.villa.records.Image;
import io.villa.records.ImageFormat;
import io.villa.records.ImageReportPair;
import io.villa.records.RegionTruth;
import io.villa.records.Split;

/**
 * Generates DocMNIST (docs/ARCHITECTURE.md, "DocMNIST") from the real MNIST digits.
 *
 * <p>Image {@code i} of a split depends only on (seed, target complexity, split, i): it draws from its own random
 * stream, so the same seed gives the same bytes, and any image can be generated alone (for parallel generation).
 * A split ends when the next image would exceed its attribute budget, unless the configuration is continuous.
 *
 * <p>Thread-safe: {@link #sample} and {@link #record} may be called concurrently; each iterator belongs to one thread.
 */
public final class DocMnistGenerator {

    public static final String SOURCE = "docmnist";
    /** Probability that a region gets an outline: one of circle, square, none, uniformly (2/3 get one). */
    private static final int SHAPE_CHOICES = DocMnistVocabulary.SHAPES.size() + 1;
    private static final int CELLS = DocMnistRegion.GRID * DocMnistRegion.GRID;

    private final MnistDigits digits;
    private final DocMnistConfig config;
    private final Clock clock;

    public DocMnistGenerator(MnistDigits digits, DocMnistConfig config) {
        this(digits, config, Clock.systemUTC());
    }

    /** With a clock for the records' event time (a fixed clock makes whole records reproducible). */
    public DocMnistGenerator(MnistDigits digits, DocMnistConfig config, Clock clock) {
        this.digits = digits;
        this.config = config;
        this.clock = clock;
    }

    public DocMnistConfig config() {
        return config;
    }

    public DigitPool pool(Split split) {
        return digits.pool(split);
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
        DigitPool pool = digits.pool(split);

        List<Integer> cells = new ArrayList<>(CELLS);
        for (int c = 0; c < CELLS; c++) {
            cells.add(c);
        }
        Collections.shuffle(cells, new Random(random.nextLong()));

        List<DocMnistRegion> regions = new ArrayList<>();
        int complexity = 0;
        for (int cell : cells) {
            DocMnistRegion region = drawRegion(cell, pool, random);
            if (complexity + region.complexity() > config.targetComplexity()) {
                break; // regions are added while the running count stays within the target
            }
            regions.add(region);
            complexity += region.complexity();
        }
        return new DocMnistSample(pairId(split, index), split, index, regions, report(regions, random));
    }

    /** Renders and encodes a sample as the record the producers send. */
    public ImageReportPair record(DocMnistSample sample) {
        byte[] png = PngEncoder.encode(DocMnistRenderer.render(sample, digits.pool(sample.split())));
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

    private static DocMnistRegion drawRegion(int cell, DigitPool pool, SplittableRandom random) {
        int digitIndex = random.nextInt(pool.size());
        int color = random.nextInt(DocMnistVocabulary.COLORS.size());
        int shape = random.nextInt(SHAPE_CHOICES);
        if (shape == DocMnistVocabulary.SHAPES.size()) {
            return new DocMnistRegion(cell, digitIndex, pool.label(digitIndex), color, -1, -1, 0, 0);
        }
        int size = random.nextInt(DocMnistVocabulary.SIZES.size());
        int room = DocMnistRegion.CELL - DocMnistRenderer.SHAPE_EXTENT[size] + 1; // the outline fits inside the cell
        int x = random.nextInt(room);
        int y = random.nextInt(room);
        return new DocMnistRegion(cell, digitIndex, pool.label(digitIndex), color, shape, size, x, y);
    }

    /** One sentence per attribute per region from a random template; duplicates dropped; shuffled; joined. */
    private static String report(List<DocMnistRegion> regions, SplittableRandom random) {
        Set<String> sentences = new LinkedHashSet<>(); // insertion-ordered: reproducible
        for (DocMnistRegion region : regions) {
            for (String word : region.attributes()) {
                int templates = DocMnistVocabulary.typeOf(word).templates().size();
                sentences.add(DocMnistVocabulary.sentence(word, random.nextInt(templates)));
            }
        }
        List<String> shuffled = new ArrayList<>(sentences);
        Collections.shuffle(shuffled, new Random(random.nextLong()));
        return String.join(DocMnistVocabulary.SENTENCE_SEPARATOR, shuffled);
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
