package io.villa.flink.mapping;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The TRAIN images the learner draws its batches from, numbered in arrival order (0, 1, 2, ...).
 *
 * <p>A training step draws from a window: the {@code replaySize} images that had arrived when the step was owed
 * (see {@link LearningSchedule}). Steps may run later than they were owed (learning runs beside the stream), so
 * the buffer keeps every image some owed step's window still needs, not only the newest {@code replaySize}: what
 * a step sees never depends on how far behind it runs. {@link #trimBefore} drops what no window needs any more.
 */
final class ReplayBuffer {

    private final int replaySize;
    private final List<ReplayEntry> images = new ArrayList<>();
    /** Arrival number of {@code images.get(0)}. */
    private long first;

    ReplayBuffer(int replaySize) {
        this.replaySize = replaySize;
    }

    /** Restores a buffer whose oldest image has arrival number {@code first}. */
    ReplayBuffer(int replaySize, long first, List<ReplayEntry> images) {
        this(replaySize);
        this.first = first;
        this.images.addAll(images);
    }

    /** Adds the next image; its arrival number is {@link #end()} before the call. */
    void add(MappingExample image) {
        images.add(ReplayEntry.of(image));
    }

    /** Arrival number the next image will get: the count of images ever added. */
    long end() {
        return first + images.size();
    }

    long first() {
        return first;
    }

    int size() {
        return images.size();
    }

    /** Images the window ending at {@code windowEnd} (exclusive) holds: at most replaySize. */
    int windowSize(long windowEnd) {
        return (int) (windowEnd - windowStart(windowEnd));
    }

    private long windowStart(long windowEnd) {
        return Math.max(first, windowEnd - replaySize);
    }

    /**
     * {@code n} distinct images of the window ending at {@code windowEnd}, chosen by {@code random} (a partial
     * Fisher-Yates shuffle of the window's indexes).
     */
    List<MappingExample> sample(long windowEnd, int n, SplittableRandom random) {
        if (windowEnd > end() || Math.max(0, windowEnd - replaySize) < first) {
            throw new IllegalStateException("window ending at " + windowEnd + " is not in the buffer [" + first + ", " + end() + ")");
        }
        long start = windowStart(windowEnd);
        int size = (int) (windowEnd - start);
        int[] idx = new int[size];
        for (int i = 0; i < size; i++) {
            idx[i] = i;
        }
        int take = Math.min(n, size);
        List<MappingExample> out = new ArrayList<>(take);
        for (int i = 0; i < take; i++) {
            int j = i + random.nextInt(size - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
            out.add(images.get((int) (start - first) + idx[i]).example());
        }
        return out;
    }

    /** Drops the images before the window ending at {@code oldestWindowEnd}: no step will draw them. */
    void trimBefore(long oldestWindowEnd) {
        long keepFrom = Math.max(first, oldestWindowEnd - replaySize);
        int drop = (int) Math.min(images.size(), keepFrom - first);
        if (drop > 0) {
            images.subList(0, drop).clear();
            first += drop;
        }
    }

    /** The images held, oldest first (for a checkpoint). */
    List<ReplayEntry> images() {
        return images;
    }
}
