package io.villa.producers.docmnist;

import java.util.List;

import io.villa.records.Split;

/**
 * One generated DocMNIST image before rendering: its regions (in ground-truth order) and its report.
 *
 * @param index position of the image in its split's sequence
 */
public record DocMnistSample(String pairId, Split split, long index, List<DocMnistRegion> regions, String report) {

    public DocMnistSample {
        regions = List.copyOf(regions);
    }

    /** Sample complexity: the number of region-attribute pairs. */
    public int complexity() {
        return regions.stream().mapToInt(DocMnistRegion::complexity).sum();
    }
}
