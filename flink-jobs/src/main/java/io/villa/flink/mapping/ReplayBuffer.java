package io.villa.flink.mapping;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;

/**
 * The TRAIN images the learner draws its batches from, numbered in arrival order (0, 1, 2, ...).
 *
 * <p>A training step draws from a window: the {@code replaySize} images that had arrived when the step was owed
 * (see {@link LearningSchedule}). Steps may run later than they were owed (learning runs beside the stream), so
 * the buffer keeps every image some owed step's window still needs, not only the newest {@code replaySize}: what
 * a step sees never depends on how far behind it runs. {@link #trimBefore} drops what no window needs any more.
 *
 * <p>A step's batch depends on which images its window holds, not on the order they arrived in: each image has a key
 * from its content, and a step takes the images whose keys, mixed with the step's random number, are smallest. Two
 * feeds that deliver the same pairs in another order (Kafka partitions interleaved, a hospital feed's join) give the
 * same batches, and where their windows differ by a few images at the edges, batches that differ by those few.
 */
final class ReplayBuffer {

    private final int replaySize;
    private final List<ReplayEntry> images = new ArrayList<>();
    /** {@link #contentKey} of each image, in step with {@code images}: computed, never checkpointed. */
    private final List<Long> keys = new ArrayList<>();
    /** Arrival number of {@code images.get(0)}. */
    private long first;

    ReplayBuffer(int replaySize) {
        this.replaySize = replaySize;
    }

    /** Restores a buffer whose oldest image has arrival number {@code first}. */
    ReplayBuffer(int replaySize, long first, List<ReplayEntry> images) {
        this(replaySize);
        this.first = first;
        for (ReplayEntry image : images) {
            add(image);
        }
    }

    /** Adds the next image; its arrival number is {@link #end()} before the call. */
    void add(MappingExample image) {
        add(ReplayEntry.of(image));
    }

    private void add(ReplayEntry entry) {
        images.add(entry);
        keys.add(contentKey(entry));
    }

    /** 64 bits from the image's pixels and attributes: the same image gives the same key in any run. */
    static long contentKey(ReplayEntry entry) {
        CRC32C pixels = new CRC32C();
        pixels.update(entry.deflated());
        ByteBuffer ints = ByteBuffer.allocate(4 * (entry.attributes().length + 1)).putInt(entry.regions());
        for (int a : entry.attributes()) {
            ints.putInt(a);
        }
        CRC32C rest = new CRC32C();
        rest.update(ints.flip());
        return (pixels.getValue() << 32) | rest.getValue();
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
     * {@code n} distinct images of the window ending at {@code windowEnd}: those whose content keys, mixed with one
     * number drawn from {@code random}, are smallest (ties, i.e. the same image twice, by arrival), in that order.
     */
    List<MappingExample> sample(long windowEnd, int n, SplittableRandom random) {
        if (windowEnd > end() || Math.max(0, windowEnd - replaySize) < first) {
            throw new IllegalStateException("window ending at " + windowEnd + " is not in the buffer [" + first + ", " + end() + ")");
        }
        int offset = (int) (windowStart(windowEnd) - first);
        int size = windowSize(windowEnd);
        long salt = random.nextLong();
        long[] rank = new long[size];
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) {
            rank[i] = mix(keys.get(offset + i) ^ salt);
            order[i] = i;
        }
        Arrays.sort(order, Comparator.<Integer>comparingLong(i -> rank[i]).thenComparingInt(i -> i));
        int take = Math.min(n, size);
        List<MappingExample> out = new ArrayList<>(take);
        for (int i = 0; i < take; i++) {
            out.add(images.get(offset + order[i]).example());
        }
        return out;
    }

    /** SplitMix64's finaliser: every bit of the key moves the rank. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Drops the images before the window ending at {@code oldestWindowEnd}: no step will draw them. */
    void trimBefore(long oldestWindowEnd) {
        long keepFrom = Math.max(first, oldestWindowEnd - replaySize);
        int drop = (int) Math.min(images.size(), keepFrom - first);
        if (drop > 0) {
            images.subList(0, drop).clear();
            keys.subList(0, drop).clear();
            first += drop;
        }
    }

    /** The images held, oldest first (for a checkpoint). */
    List<ReplayEntry> images() {
        return images;
    }
}
