package io.villa.producers.dicomweb;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where a DICOMweb feed stands: the set of instances it has already handled (sent, dead-lettered or skipped). QIDO-RS
 * has no change feed and no stable order, so a position in a list would skip or resend; a set of instance keys does
 * neither. It is kept as {@value #SHARDS} shards by the first byte of the instance key, each a record of the feed
 * positions topic (key {@code feedId/xx}, compacted, so the latest record per shard is the position), holding the next
 * 64 bits of each key: 8 bytes an instance, so a shard record stays under Kafka's 1 MB default up to about 120,000
 * instances and the feed up to about 30 million. A 64-bit collision between two instances of one shard is about
 * n²/2⁶⁵ (10⁻⁹ at a million instances); it would make the second one look already sent.
 *
 * <p>Only shards that changed are written, in the same Kafka transaction as the records they account for.
 */
public final class FeedPosition {

    public static final int SHARDS = 256;
    private static final int MAGIC = 0x56465031; // "VFP1"
    /** Most entries one shard record may hold: 8 bytes each, under the 1 MB default record limit. */
    public static final int MAX_SHARD_ENTRIES = 120_000;

    @SuppressWarnings("unchecked")
    private final Set<Long>[] shards = new Set[SHARDS];
    private final BitSet dirty = new BitSet(SHARDS);
    private int size;

    public FeedPosition() {
        for (int i = 0; i < SHARDS; i++) {
            shards[i] = new HashSet<>();
        }
    }

    public boolean contains(String instanceKey) {
        return shards[shard(instanceKey)].contains(bits(instanceKey));
    }

    /** @return false when it was there already */
    public boolean add(String instanceKey) {
        int shard = shard(instanceKey);
        if (shards[shard].size() >= MAX_SHARD_ENTRIES) {
            throw new IllegalStateException("feed position shard " + shard + " is full (" + MAX_SHARD_ENTRIES
                    + " instances): use a new --feed-id or a narrower feed");
        }
        boolean added = shards[shard].add(bits(instanceKey));
        if (added) {
            dirty.set(shard);
            size++;
        }
        return added;
    }

    public int size() {
        return size;
    }

    public boolean hasChanges() {
        return !dirty.isEmpty();
    }

    /** The changed shards as records (key suffix → value), and forgets that they changed. */
    public Map<String, byte[]> takeChanges() {
        Map<String, byte[]> records = new LinkedHashMap<>();
        for (int shard = dirty.nextSetBit(0); shard >= 0; shard = dirty.nextSetBit(shard + 1)) {
            records.put(shardName(shard), encode(shards[shard]));
        }
        dirty.clear();
        return records;
    }

    /** Loads one shard record, replacing what the shard held. */
    public void load(String shardName, byte[] value) {
        int shard;
        try {
            shard = Integer.parseInt(shardName, 16);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a feed position shard name: " + shardName);
        }
        if (shard < 0 || shard >= SHARDS || shardName.length() != 2) {
            throw new IllegalArgumentException("not a feed position shard name: " + shardName);
        }
        Set<Long> entries = decode(value);
        size += entries.size() - shards[shard].size();
        shards[shard] = entries;
    }

    static String shardName(int shard) {
        return String.format(Locale.ROOT, "%02x", shard);
    }

    private static int shard(String instanceKey) {
        check(instanceKey);
        return Integer.parseInt(instanceKey.substring(0, 2), 16);
    }

    private static long bits(String instanceKey) {
        return Long.parseUnsignedLong(instanceKey.substring(2, 18), 16);
    }

    private static void check(String instanceKey) {
        if (instanceKey.length() != 64 || !instanceKey.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw new IllegalArgumentException("an instance key is 64 lower-case hex characters");
        }
    }

    static byte[] encode(Set<Long> entries) {
        long[] sorted = entries.stream().mapToLong(Long::longValue).sorted().toArray();
        ByteBuffer buffer = ByteBuffer.allocate(8 + 8 * sorted.length);
        buffer.putInt(MAGIC).putInt(sorted.length);
        for (long entry : sorted) {
            buffer.putLong(entry);
        }
        return buffer.array();
    }

    static Set<Long> decode(byte[] value) {
        if (value == null || value.length < 8) {
            throw new IllegalArgumentException("a feed position record of " + (value == null ? 0 : value.length) + " bytes");
        }
        ByteBuffer buffer = ByteBuffer.wrap(value);
        if (buffer.getInt() != MAGIC) {
            throw new IllegalArgumentException("not a feed position record (bad magic)");
        }
        int count = buffer.getInt();
        if (count < 0 || count > MAX_SHARD_ENTRIES || value.length != 8 + 8L * count) {
            throw new IllegalArgumentException("a feed position record whose count (" + count + ") does not match its "
                    + value.length + " bytes");
        }
        long[] entries = new long[count];
        for (int i = 0; i < count; i++) {
            entries[i] = buffer.getLong();
        }
        Set<Long> set = new HashSet<>(Math.max(16, count * 2));
        Arrays.stream(entries).forEach(set::add);
        return set;
    }
}
