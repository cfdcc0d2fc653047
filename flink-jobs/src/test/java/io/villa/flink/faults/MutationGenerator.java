package io.villa.flink.faults;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

import io.villa.records.ImageReportPair;
import io.villa.schemas.Codecs;

/**
 * Category (h): random mutations of valid DocMNIST records, from a seeded {@link Random} so that a failure
 * reproduces. Every mutation starts from its own copy of a pool pair under a fresh pair id (so its outputs, if
 * any, are its own); a mutation that would decode under a pair id some other record already has is replaced by
 * another, so that the accounting by pair id stays unambiguous.
 */
final class MutationGenerator {

    /** How a record is mutated; the label is what the table shows. */
    enum Kind {
        BIT_FLIPS("bit flips"),
        TRUNCATION("truncation"),
        INSERTION("byte insertion"),
        DELETION("byte deletion"),
        FIELD_SWAP("field swap between two records"),
        SPLICE("splice of two encodings");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /** Bytes near the start hold the header, ids and the first length prefixes: mutations aim there half the time. */
    private static final int STRUCTURE_BYTES = 80;

    private final List<ImageReportPair> pool;
    private final Random random;
    private final Set<String> taken;

    MutationGenerator(List<ImageReportPair> pool, long seed, Set<String> pairIdsInUse) {
        this.pool = List.copyOf(pool);
        this.random = new Random(seed);
        this.taken = new HashSet<>(pairIdsInUse);
    }

    List<BatteryRecord> generate(int n) {
        List<BatteryRecord> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(next("h-" + i));
        }
        return out;
    }

    private BatteryRecord next(String key) {
        while (true) {
            Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
            ImageReportPair base = fresh(key);
            byte[] bytes = mutate(kind, base, key);
            BatteryRecord record = BatteryRecord.mutation("h", kind.label, key, bytes);
            if (record.pairId() == null || taken.add(record.pairId())) {
                return record;
            }
            // decodes under an id already in use: the accounting could not tell the two apart, so draw again
        }
    }

    private byte[] mutate(Kind kind, ImageReportPair base, String key) {
        byte[] b = Codecs.IMAGE_REPORT_PAIR.encode(base);
        switch (kind) {
            case BIT_FLIPS -> {
                int flips = 1 + random.nextInt(8);
                for (int i = 0; i < flips; i++) {
                    b[position(b.length)] ^= (byte) (1 << random.nextInt(8));
                }
                return b;
            }
            case TRUNCATION -> {
                return Arrays.copyOf(b, random.nextInt(b.length));
            }
            case INSERTION -> {
                byte[] extra = new byte[1 + random.nextInt(16)];
                random.nextBytes(extra);
                int at = position(b.length + 1);
                return splice(Arrays.copyOf(b, at), extra, Arrays.copyOfRange(b, at, b.length));
            }
            case DELETION -> {
                int at = position(b.length);
                int end = Math.min(b.length, at + 1 + random.nextInt(16));
                return splice(Arrays.copyOf(b, at), new byte[0], Arrays.copyOfRange(b, end, b.length));
            }
            case FIELD_SWAP -> {
                return Codecs.IMAGE_REPORT_PAIR.encode(swapFields(base, donor(key)));
            }
            case SPLICE -> {
                byte[] other = Codecs.IMAGE_REPORT_PAIR.encode(donor(key));
                return splice(Arrays.copyOf(b, random.nextInt(b.length + 1)), new byte[0],
                        Arrays.copyOfRange(other, random.nextInt(other.length + 1), other.length));
            }
            default -> throw new IllegalStateException(kind.name());
        }
    }

    /** The base record with one to three of the donor's fields (a well-formed record, maybe an inconsistent one). */
    private ImageReportPair swapFields(ImageReportPair base, ImageReportPair donor) {
        ImageReportPair.Builder b = ImageReportPair.newBuilder(base);
        int fields = 1 + random.nextInt(3);
        for (int i = 0; i < fields; i++) {
            switch (random.nextInt(5)) {
                case 0 -> b.setImage(donor.getImage());
                case 1 -> b.setReport(donor.getReport());
                case 2 -> b.setRegions(donor.getRegions());
                case 3 -> b.setGroundTruth(donor.getGroundTruth());
                default -> b.setSplit(donor.getSplit());
            }
        }
        return b.build();
    }

    /** A pool pair under a new, unique id (a random suffix keeps a one-bit change from hitting another id). */
    private ImageReportPair fresh(String key) {
        String id = key + "-" + String.format(Locale.ROOT, "%08x", random.nextInt());
        return ImageReportPair.newBuilder(pool.get(random.nextInt(pool.size()))).setPairId(id).build();
    }

    /** The other record of a swap or splice: never sent itself, so its id is its own too. */
    private ImageReportPair donor(String key) {
        return fresh(key + "-donor");
    }

    private int position(int length) {
        return random.nextBoolean() ? random.nextInt(Math.min(length, STRUCTURE_BYTES)) : random.nextInt(length);
    }

    private static byte[] splice(byte[] head, byte[] middle, byte[] tail) {
        byte[] out = Arrays.copyOf(head, head.length + middle.length + tail.length);
        System.arraycopy(middle, 0, out, head.length, middle.length);
        System.arraycopy(tail, 0, out, head.length + middle.length, tail.length);
        return out;
    }
}
