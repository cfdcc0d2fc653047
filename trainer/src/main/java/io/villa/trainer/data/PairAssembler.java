package io.villa.trainer.data;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Predicate;

import io.villa.trainer.image.WholeImage;

/**
 * Joins region records with their pair's whole image. The decomposition job writes a pair's records under its pair id
 * (one partition, in order): its regions, then, last, the whole-image record. Regions wait here for it; the image is
 * decoded once per pair and shared by all its examples.
 *
 * <p>Examples are released in offset order per partition: one only after every older one was released or failed. So
 * everything before the oldest record still waiting has left, even where pairs interleave, and a trainer may resume
 * from the oldest waiting record (it and everything after it are read again).
 *
 * <p>Bounded, and nothing vanishes: a record whose whole image has not come within {@code maxWait} offsets of its
 * partition fails together with the rest of its pair, and so does every waiting record when a bounded pass ends
 * ({@link #drain}); each failure says why.
 *
 * @param <P> what names a partition (a Kafka TopicPartition; anything for data held in memory)
 */
public final class PairAssembler<P> {

    /** What leaves the assembler, in offset order per partition. */
    public sealed interface Output<P> permits Ready, Failed {
        P partition();

        long offset();
    }

    /** A record joined with its pair's image. */
    public record Ready<P>(P partition, long offset, Example example) implements Output<P> {
    }

    /** A record that cannot become an example, and why. */
    public record Failed<P>(P partition, long offset, String key, String reason) implements Output<P> {
    }

    private static final class Pair {
        private WholeImage image;
    }

    private record Entry(long offset, DecodedRecord record, Pair pair) {
    }

    /** One partition: its records in offset order, and its pairs still without an image by pair id. */
    private static final class Lane {
        private final ArrayDeque<Entry> queue = new ArrayDeque<>();
        private final Map<String, Pair> open = new HashMap<>();
    }

    private final long maxWait;
    private final Map<P, Lane> lanes = new HashMap<>();

    /** @param maxWait offsets of its partition a region record waits at most for its whole image */
    public PairAssembler(long maxWait) {
        if (maxWait < 1) {
            throw new IllegalArgumentException("maxWait must be >= 1");
        }
        this.maxWait = maxWait;
    }

    /**
     * A record of {@code partition}, offsets ascending. A whole-image record that is no example itself
     * ({@link DecodedRecord#isExample}) only brings its pair's image.
     *
     * @return what this record released: examples in offset order, then failures
     */
    public List<Output<P>> add(P partition, long offset, DecodedRecord record) {
        Lane lane = lanes.computeIfAbsent(partition, k -> new Lane());
        Pair pair;
        if (record.wholeImage()) {
            pair = lane.open.remove(record.pairId()); // a later region of the same id starts a new pair: it waits, then fails
            if (pair == null) {
                pair = new Pair();
            }
            pair.image = record.image();
        } else {
            pair = lane.open.computeIfAbsent(record.pairId(), k -> new Pair());
        }
        if (record.isExample()) {
            lane.queue.add(new Entry(offset, record, pair));
        }
        List<Output<P>> out = new ArrayList<>();
        release(partition, lane, offset, out);
        return out;
    }

    /** End of a bounded pass: every waiting record fails (its pair's whole image was not in the data), the rest leaves. */
    public List<Output<P>> drain() {
        List<Output<P>> out = new ArrayList<>();
        lanes.forEach((partition, lane) -> release(partition, lane, Long.MAX_VALUE, out));
        lanes.clear();
        return out;
    }

    /** The offset of the oldest record of {@code partition} still waiting among those {@code counted}. */
    public OptionalLong oldestWaiting(P partition, Predicate<DecodedRecord> counted) {
        Lane lane = lanes.get(partition);
        if (lane != null) {
            for (Entry e : lane.queue) {
                if (counted.test(e.record())) {
                    return OptionalLong.of(e.offset());
                }
            }
        }
        return OptionalLong.empty();
    }

    /** Records waiting, all partitions. */
    public int waiting() {
        return lanes.values().stream().mapToInt(l -> l.queue.size()).sum();
    }

    /** Releases the head while it is complete; fails its pair when it waited too long ({@code now}: the newest offset). */
    private void release(P partition, Lane lane, long now, List<Output<P>> out) {
        while (!lane.queue.isEmpty()) {
            Entry head = lane.queue.peek();
            if (head.pair().image != null) {
                lane.queue.poll();
                out.add(joined(partition, head));
            } else if (now == Long.MAX_VALUE || now - head.offset() > maxWait) {
                fail(partition, lane, head, now == Long.MAX_VALUE
                        ? "the pass ended before its whole-image record came (the pair is incomplete in the data read)"
                        : "no whole-image record within " + maxWait + " records of its partition (the decomposition job writes"
                                + " it last in each pair, under the same key)", out);
            } else {
                return;
            }
        }
    }

    private Output<P> joined(P partition, Entry e) {
        try {
            return new Ready<>(partition, e.offset(), e.record().toExample(e.pair().image));
        } catch (IllegalArgumentException badBox) {
            return new Failed<>(partition, e.offset(), e.record().key(), e.record().key() + ": " + badBox.getMessage());
        }
    }

    /** Fails every waiting record of the head's pair. */
    private void fail(P partition, Lane lane, Entry head, String why, List<Output<P>> out) {
        String pairId = head.record().pairId();
        if (lane.open.get(pairId) == head.pair()) {
            lane.open.remove(pairId);
        }
        for (Iterator<Entry> it = lane.queue.iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.pair() == head.pair()) {
                it.remove();
                out.add(new Failed<>(partition, e.offset(), e.record().key(), e.record().key() + " (offset " + e.offset()
                        + ") of pair " + pairId + ": " + why));
            }
        }
    }
}
