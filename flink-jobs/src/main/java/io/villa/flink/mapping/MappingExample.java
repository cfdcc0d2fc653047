package io.villa.flink.mapping;

import java.util.List;

/**
 * One image as the mapping model sees it.
 *
 * @param regionPixels per region: RGB in [0,1], channel-major (3 x size x size), size = the configured region size
 * @param attributes   attribute indexes found in the report (ascending)
 * @param truth        per region, the true attribute indexes (empty lists when unknown); evaluation only
 */
public record MappingExample(List<float[]> regionPixels, int[] attributes, List<int[]> truth) {

    public int regionCount() {
        return regionPixels.size();
    }
}
