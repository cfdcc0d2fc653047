package io.villa.flink.mapping;

import java.util.List;

/**
 * One image as the mapping model sees it.
 *
 * @param regionPixels per region: unsigned 8-bit RGB, channel-major (3 x size x size), size = the configured region
 *                     size; the model scales them to [0,1]
 * @param attributes   attribute indexes found in the report (ascending)
 * @param truth        per region, the true attribute indexes (empty lists when unknown); evaluation only
 */
public record MappingExample(List<byte[]> regionPixels, int[] attributes, List<int[]> truth) {

    public int regionCount() {
        return regionPixels.size();
    }
}
