package io.villa.flink.mapping;

import static io.villa.flink.mapping.StateStreams.writeBytes;
import static io.villa.flink.mapping.StateStreams.readBytes;
import static io.villa.flink.mapping.StateStreams.writeInts;
import static io.villa.flink.mapping.StateStreams.readInts;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * A fixed held-out set: the first {@code capacity} images with ground truth offered (validation pairs), kept to
 * score each new model version on the same images, so quality can be followed as the model learns.
 *
 * <p>Each image is stamped with the TRAIN images seen before it. A version is scored on the images that came before
 * the last TRAIN image it learned from ({@link #before}): which images those are depends on the stream only, never on
 * how far the stream ran ahead of learning, so a restored or re-run job scores every version on the same images.
 */
public final class HeldOutSet {

    /** Split name of held-out figures in quality metrics (HELDOUT.f1, ...). */
    public static final String SPLIT = "HELDOUT";

    private record Entry(long trainBefore, MappingExample example) {
    }

    private final int capacity;
    private final List<Entry> entries = new ArrayList<>();

    public HeldOutSet(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("held-out capacity must be >= 0, got " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * Keeps the image if there is room and it can be scored (regions, report attributes and ground truth).
     *
     * @param trainBefore TRAIN images seen before this one
     */
    public void offer(MappingExample example, long trainBefore) {
        if (entries.size() < capacity && example.truth() != null && MappingLearner.learnable(example)) {
            entries.add(new Entry(trainBefore, example));
        }
    }

    public int size() {
        return entries.size();
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The images that came before TRAIN image number {@code trainSeen} (1-based): what a version that learned from it is scored on. */
    public List<MappingExample> before(long trainSeen) {
        return entries.stream().filter(e -> e.trainBefore < trainSeen).map(Entry::example).toList();
    }

    public List<MappingExample> all() {
        return entries.stream().map(Entry::example).toList();
    }

    /**
     * Quality of {@code model} on {@code images} under split {@link #SPLIT}, each image scored alone (as an applier
     * would decompose it: no batch to change its scores).
     */
    public static MappingQuality score(MappingModel model, List<MappingExample> images, float epsilon, int[] typeOf, List<String> types) {
        MappingQuality quality = new MappingQuality(0, types);
        for (MappingExample image : images) {
            Assignment a = Assignment.all(model, List.of(image), epsilon).get(0);
            quality.add(SPLIT, MappingQuality.counts(a, image.truth(), typeOf, types.size()));
        }
        return quality;
    }

    /** For Flink state: every image with its stamp, deflated. */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(new DeflaterOutputStream(bytes))) {
            out.writeInt(entries.size());
            for (Entry e : entries) {
                out.writeLong(e.trainBefore);
                MappingExample x = e.example();
                out.writeInt(x.regionCount());
                for (byte[] region : x.regionPixels()) {
                    writeBytes(out, region);
                }
                writeInts(out, x.attributes());
                for (int[] t : x.truth()) {
                    writeInts(out, t);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A set from {@link #toBytes}, with this capacity (images beyond it are dropped). */
    public static HeldOutSet fromBytes(int capacity, byte[] state) {
        HeldOutSet set = new HeldOutSet(capacity);
        try (DataInputStream in = new DataInputStream(new InflaterInputStream(new ByteArrayInputStream(state)))) {
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                long trainBefore = in.readLong();
                int regions = in.readInt();
                List<byte[]> pixels = new ArrayList<>(regions);
                for (int r = 0; r < regions; r++) {
                    pixels.add(readBytes(in));
                }
                int[] attributes = readInts(in);
                List<int[]> truth = new ArrayList<>(regions);
                for (int r = 0; r < regions; r++) {
                    truth.add(readInts(in));
                }
                set.offer(new MappingExample(pixels, attributes, truth), trainBefore);
            }
        } catch (IOException e) {
            throw new IllegalStateException("held-out set state does not read back: " + e.getMessage(), e);
        }
        return set;
    }
}
