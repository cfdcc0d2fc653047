package io.villa.flink.faults;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.villa.records.DeadLetter;
import io.villa.records.RegionAttributePair;
import io.villa.schemas.AvroBytes;
import io.villa.schemas.Codecs;

/**
 * Accounts for every record sent to one run's input topic, by source offset: what came out for it (dead letters
 * found by their source offset, region-attribute records by the pair id it decodes under) and whether that is
 * what it must be. Anything in the output topics that belongs to no sent record is reported too.
 */
final class Ledger {

    /** Originals up to this size must come back whole in their dead letter; larger ones may be cut or left out. */
    static final int SMALL_ORIGINAL = 100_000;

    private final String inputTopic;
    private final Map<Long, Entry> byOffset = new TreeMap<>();
    private final Map<String, Entry> byPairId = new HashMap<>();
    private final List<String> unaccounted = new ArrayList<>();

    /** One sent record and what came out for it. */
    static final class Entry {
        final long offset;
        final BatteryRecord record;
        final List<DeadLetter> deadLetters = new ArrayList<>();
        int wholeImages;
        final List<Integer> regionIndexes = new ArrayList<>();
        final List<String> problems = new ArrayList<>();

        Entry(long offset, BatteryRecord record) {
            this.offset = offset;
            this.record = record;
        }

        boolean deadLettered() {
            return !deadLetters.isEmpty();
        }

        boolean decomposed() {
            return wholeImages > 0;
        }

        boolean lost() {
            return !deadLettered() && !decomposed();
        }

        /** Out more than once: two dead letters, two whole images, a region twice, or dead letter and output both. */
        boolean duplicated() {
            return deadLetters.size() > 1
                    || wholeImages > 1
                    || new HashSet<>(regionIndexes).size() < regionIndexes.size()
                    || (deadLettered() && (decomposed() || !regionIndexes.isEmpty()));
        }

        /** Exactly one outcome, but not the one its expectation allows. */
        boolean wrongOutcome() {
            if (lost() || duplicated()) {
                return false;
            }
            return switch (record.expectation()) {
                case DECOMPOSED -> !decomposed();
                case DEAD_LETTERED -> !deadLettered();
                case EITHER -> false;
            };
        }

        String describe() {
            return String.format("offset %d, key %s, %s", offset, record.key(), record.label());
        }
    }

    Ledger(String inputTopic) {
        this.inputTopic = inputTopic;
    }

    /** Records that {@code record} was written at {@code offset}; pair ids must be unique for the accounting to hold. */
    void sent(long offset, BatteryRecord record) {
        Entry entry = new Entry(offset, record);
        if (byOffset.put(offset, entry) != null) {
            throw new IllegalStateException("two records at offset " + offset);
        }
        if (record.pairId() != null && byPairId.put(record.pairId(), entry) != null) {
            throw new IllegalStateException(
                    "two records with pair id " + record.pairId() + ": the accounting would be ambiguous");
        }
    }

    Collection<Entry> entries() {
        return byOffset.values();
    }

    /** Outputs that belong to no sent record, or are malformed: each one is a failure. */
    List<String> unaccounted() {
        return unaccounted;
    }

    void accountDeadLetters(List<ConsumerRecord<byte[], byte[]>> records) {
        for (ConsumerRecord<byte[], byte[]> r : records) {
            DeadLetter letter;
            try {
                letter = Codecs.DEAD_LETTER.decode(r.value());
            } catch (RuntimeException e) {
                unaccounted.add("dead-letter offset " + r.offset() + " is no DeadLetter: " + e.getMessage());
                continue;
            }
            Entry entry = letter.getSourceOffset() == null ? null : byOffset.get(letter.getSourceOffset());
            if (entry == null
                    || !inputTopic.equals(str(letter.getSourceTopic()))
                    || !Integer.valueOf(0).equals(letter.getSourcePartition())) {
                unaccounted.add(String.format(
                        "dead letter at offset %d names source %s-%s@%s, which was never sent",
                        r.offset(), letter.getSourceTopic(), letter.getSourcePartition(), letter.getSourceOffset()));
                continue;
            }
            entry.deadLetters.add(letter);
            checkDeadLetter(entry, r, letter);
        }
    }

    void accountRegions(List<ConsumerRecord<byte[], byte[]>> records) {
        for (ConsumerRecord<byte[], byte[]> r : records) {
            RegionAttributePair out;
            try {
                out = Codecs.REGION_ATTRIBUTE_PAIR.decode(r.value());
            } catch (RuntimeException e) {
                unaccounted.add(
                        "region-attribute offset " + r.offset() + " is no RegionAttributePair: " + e.getMessage());
                continue;
            }
            String pairId = out.getPairId().toString();
            Entry entry = byPairId.get(pairId);
            if (entry == null) {
                unaccounted.add(String.format(
                        "region-attribute offset %d is for pair id %s, which no sent record decodes to",
                        r.offset(), pairId));
                continue;
            }
            if (r.key() == null || !pairId.equals(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8))) {
                entry.problems.add("output at offset " + r.offset() + " is not keyed by its pair id");
            }
            if (out.getWholeImage()) {
                entry.wholeImages++;
                if (out.getRegionIndex() != -1) {
                    entry.problems.add("whole-image output with region index " + out.getRegionIndex());
                }
            } else {
                entry.regionIndexes.add(out.getRegionIndex());
                int regions = entry.record.regions();
                if (out.getRegionIndex() < 0 || (regions >= 0 && out.getRegionIndex() >= regions)) {
                    entry.problems.add("region index " + out.getRegionIndex() + " outside its " + regions + " regions");
                }
            }
        }
        for (Entry e : byOffset.values()) {
            if (!e.regionIndexes.isEmpty() && e.wholeImages == 0) {
                e.problems.add(e.regionIndexes.size() + " region outputs without their whole-image output");
            }
        }
    }

    private void checkDeadLetter(Entry entry, ConsumerRecord<byte[], byte[]> r, DeadLetter letter) {
        if (blank(letter.getErrorMessage()) || blank(letter.getErrorClass()) || blank(letter.getStage())) {
            entry.problems.add("dead letter without a reason (stage, errorClass and errorMessage must be set)");
        }
        byte[] key = entry.record.keyBytes();
        if (!Arrays.equals(r.key(), key)) {
            entry.problems.add("dead letter not keyed by the original key");
        }
        if (!Arrays.equals(bytes(letter.getOriginalKey()), key)) {
            entry.problems.add("dead letter's originalKey is not the original key");
        }
        byte[] original = bytes(letter.getOriginalValue());
        byte[] sent = entry.record.value();
        boolean small = sent == null || sent.length <= SMALL_ORIGINAL;
        boolean ok = small
                ? Arrays.equals(original, sent)
                : original == null
                        || (original.length <= sent.length
                                && Arrays.equals(original, Arrays.copyOf(sent, original.length)));
        if (!ok) {
            entry.problems.add(
                    "dead letter's originalValue is not the record sent" + (small ? "" : " (nor a prefix of it)"));
        }
    }

    /** The tally of {@code entries}, e.g. one category's. */
    static Tally tally(Collection<Entry> entries) {
        Tally t = new Tally();
        for (Entry e : entries) {
            t.sent++;
            t.deadLettered += e.deadLettered() ? 1 : 0;
            t.decomposed += e.decomposed() ? 1 : 0;
            t.lost += e.lost() ? 1 : 0;
            t.duplicated += e.duplicated() ? 1 : 0;
            t.wrongOutcome += e.wrongOutcome() ? 1 : 0;
            t.badOutput += e.problems.isEmpty() ? 0 : 1;
        }
        return t;
    }

    /** What went wrong, one line per record (ids, offsets and kinds only: never report text or pixels). */
    List<String> failures() {
        List<String> out = new ArrayList<>();
        for (Entry e : byOffset.values()) {
            List<String> why = new ArrayList<>(e.problems);
            if (e.lost()) {
                why.add("lost: neither decomposed nor dead-lettered");
            }
            if (e.duplicated()) {
                why.add(String.format(
                        "duplicated: %d dead letters, %d whole images, region indexes %s",
                        e.deadLetters.size(), e.wholeImages, e.regionIndexes));
            }
            if (e.wrongOutcome()) {
                why.add(
                        e.decomposed()
                                ? "decomposed, but must be dead-lettered"
                                : "dead-lettered, but must be decomposed: " + reason(e.deadLetters.get(0)));
            }
            if (!why.isEmpty()) {
                out.add("[" + e.record.category() + "] " + e.describe() + ": " + String.join("; ", why));
            }
        }
        out.addAll(unaccounted);
        return out;
    }

    static String reason(DeadLetter letter) {
        String message = str(letter.getErrorMessage());
        if (message != null && message.length() > 160) {
            message = message.substring(0, 160) + "...";
        }
        return letter.getStage() + " " + letter.getErrorClass() + ": " + message;
    }

    private static boolean blank(CharSequence s) {
        return s == null || s.toString().isBlank();
    }

    private static String str(CharSequence s) {
        return s == null ? null : s.toString();
    }

    private static byte[] bytes(java.nio.ByteBuffer b) {
        return b == null ? null : AvroBytes.copyOf(b);
    }

    /** Counts of one group of records. */
    static final class Tally {
        int sent;
        int deadLettered;
        int decomposed;
        int lost;
        int duplicated;
        int wrongOutcome;
        int badOutput;

        void add(Tally o) {
            sent += o.sent;
            deadLettered += o.deadLettered;
            decomposed += o.decomposed;
            lost += o.lost;
            duplicated += o.duplicated;
            wrongOutcome += o.wrongOutcome;
            badOutput += o.badOutput;
        }
    }
}
