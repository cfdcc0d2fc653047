package io.villa.flink.operators;

import static org.apache.flink.util.Preconditions.checkArgument;

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
        checkArgument(gridRows >= 1, "gridRows must be >= 1, got %s", gridRows);
        checkArgument(gridColumns >= 1, "gridColumns must be >= 1, got %s", gridColumns);
        checkArgument(minRegionSize >= 1, "minRegionSize must be >= 1, got %s", minRegionSize);
        checkArgument(regionSize >= 4, "regionSize must be >= 4, got %s", regionSize);
    }

    public static PrepareConfig defaults() {
        return new PrepareConfig(3, 3, 8, 28);
    }
}
