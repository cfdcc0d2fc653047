package io.villa.flink.operators;

import java.io.Serializable;

/**
 * How pairs are checked and cut into regions.
 *
 * @param gridRows      grid used when a record carries no boxes
 * @param gridColumns   grid used when a record carries no boxes
 * @param minRegionSize smallest accepted box side, in pixels
 * @param regionSize    regions are resampled to this square size for the model
 */
public record PrepareConfig(int gridRows, int gridColumns, int minRegionSize, int regionSize) implements Serializable {

    public PrepareConfig {
        if (gridRows < 1 || gridColumns < 1 || minRegionSize < 1 || regionSize < 4) {
            throw new IllegalArgumentException("invalid region settings: " + this);
        }
    }

    public static PrepareConfig defaults() {
        return new PrepareConfig(3, 3, 8, 28);
    }
}
