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

    /** A readable table. */
    public String format() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "images                 %d%n", images));
        out.append(String.format(Locale.ROOT, "region-attribute pairs %d%n", pairs));
        out.append(String.format(Locale.ROOT, "regions                %d (%.1f%% with an outline)%n", regions,
                regions == 0 ? 0 : 100.0 * shapedRegions / regions));
        out.append(String.format(Locale.ROOT, "average complexity     %.2f (max %d)%n", averageComplexity(), maxComplexity));
        out.append("attribute histogram\n");
        long largest = histogram.values().stream().mapToLong(Long::longValue).max().orElse(1);
        histogram.forEach((word, count) -> out.append(String.format(Locale.ROOT, "  %-7s %7d  %s%n", word, count,
                "#".repeat((int) Math.round(40.0 * count / Math.max(1, largest))))));
        return out.toString();
    }
}
