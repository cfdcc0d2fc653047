package io.villa.producers.docmnist;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Counts over generated samples: images, region-attribute pairs, complexity and how often each attribute occurs. */
public final class DocMnistStats {

    private long images;
    private long pairs;
    private long regions;
    private long shapedRegions;
    private int maxComplexity;
    private final Map<String, Long> histogram = new LinkedHashMap<>();

    public DocMnistStats() {
        DocMnistVocabulary.ATTRIBUTES.forEach(word -> histogram.put(word, 0L));
    }

    /** Reads up to {@code limit} samples (all of them when the iterator ends first). */
    public static DocMnistStats of(Iterator<DocMnistSample> samples, long limit) {
        DocMnistStats stats = new DocMnistStats();
        for (long i = 0; i < limit && samples.hasNext(); i++) {
            stats.add(samples.next());
        }
        return stats;
    }

    public void add(DocMnistSample sample) {
        images++;
        int complexity = sample.complexity();
        pairs += complexity;
        maxComplexity = Math.max(maxComplexity, complexity);
        for (DocMnistRegion region : sample.regions()) {
            regions++;
            if (region.hasShape()) {
                shapedRegions++;
            }
            region.attributes().forEach(word -> histogram.merge(word, 1L, Long::sum));
        }
    }

    public long images() {
        return images;
    }

    /** Region-attribute pairs: what the attribute budget counts. */
    public long pairs() {
        return pairs;
    }

    public long regions() {
        return regions;
    }

    public long shapedRegions() {
        return shapedRegions;
    }

    public int maxComplexity() {
        return maxComplexity;
    }

    public double averageComplexity() {
        return images == 0 ? 0 : (double) pairs / images;
    }

    /** Occurrences of each attribute word, in vocabulary order. */
    public Map<String, Long> histogram() {
        return histogram;
    }

    /**
     * A readable table: what was measured next to what the reference's rules give in expectation. The expected image
     * count needs the split's budget ({@code budget < 0}: none, e.g. continuous mode); the expected histogram is for
     * the measured number of images.
     */
    public String format(DocMnistExpectation expected, long budget) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-24s %10s %10s%n", "", "measured", "expected"));
        out.append(String.format(Locale.ROOT, "%-24s %10d %10s%n", "images", images,
                budget < 0 ? "-" : String.format(Locale.ROOT, "%.1f", expected.images(budget))));
        out.append(String.format(Locale.ROOT, "%-24s %10d %10s%n", "region-attribute pairs", pairs, "-"));
        out.append(String.format(Locale.ROOT, "%-24s %10.2f %10.2f%n", "average complexity", averageComplexity(),
                expected.complexity()));
        out.append(String.format(Locale.ROOT, "%-24s %10d %10s%n", "max complexity", maxComplexity, "-"));
        out.append(String.format(Locale.ROOT, "%-24s %10.2f %10.2f%n", "regions per image",
                images == 0 ? 0 : (double) regions / images, expected.regions()));
        out.append(String.format(Locale.ROOT, "%-24s %9.1f%% %9.1f%%%n", "regions with a shape",
                regions == 0 ? 0 : 100.0 * shapedRegions / regions, 100 * expected.shapeShare()));
        out.append("attribute histogram\n");
        long largest = histogram.values().stream().mapToLong(Long::longValue).max().orElse(1);
        histogram.forEach((word, count) -> out.append(String.format(Locale.ROOT, "  %-22s %10d %10.1f  %s%n", word, count,
                expected.count(word, images), "#".repeat((int) Math.round(30.0 * count / Math.max(1, largest))))));
        return out.toString();
    }
}
