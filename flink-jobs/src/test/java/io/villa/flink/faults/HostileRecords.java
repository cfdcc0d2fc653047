package io.villa.flink.faults;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

import io.villa.records.Box;
import io.villa.records.Image;
import io.villa.records.ImageFormat;
import io.villa.records.ImageReportPair;
import io.villa.records.RegionTruth;
import io.villa.records.Split;
import io.villa.schemas.Codecs;

/**
 * The hand-made hostile records of categories (a) to (g), each built from a real DocMNIST pair so that everything
 * but the hostile part is valid. Every record has its own key and pair id.
 */
final class HostileRecords {

    /** Just under the JVM's largest array: a length the decoder may try to allocate. */
    static final long NEAR_MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final ImageReportPair template;
    private final Random random;

    HostileRecords(ImageReportPair template, long seed) {
        this.template = template;
        this.random = new Random(seed);
    }

    /** (a) Thousands of boxes, each a legal box inside the image. */
    List<BatteryRecord> thousandsOfBoxes() {
        return List.of(
                // first, so that it waits for warm-up with the valid pairs: the model then maps them in one batch
                // padded to 50,000 regions, more floats than an array holds (the tensor overflow)
                BatteryRecord.hostile(
                        "a", "50,000 boxes (TRAIN, before warm-up)", pair("a-3", b -> b.setRegions(boxes(50_000)))),
                BatteryRecord.hostile(
                        "a", "5,000 boxes (TRAIN: learned from)", pair("a-1", b -> b.setRegions(boxes(5_000)))),
                BatteryRecord.hostile(
                        "a",
                        "5,000 boxes (TEST: only mapped)",
                        pair("a-2", b -> b.setRegions(boxes(5_000)).setSplit(Split.TEST))));
    }

    /** (b) A ~100 KB PNG whose header honestly says 30000 x 30000 (1-bit). */
    List<BatteryRecord> decompressionBomb() {
        byte[] png = HostileImages.blackOneBitPng(30_000);
        return List.of(
                BatteryRecord.hostile(
                        "b",
                        "30000x30000 1-bit PNG, no boxes (grid)",
                        pair(
                                "b-1",
                                b -> b.setImage(new Image(ByteBuffer.wrap(png), ImageFormat.PNG, 30_000, 30_000))
                                        .setRegions(List.of()))),
                BatteryRecord.hostile(
                        "b",
                        "30000x30000 1-bit PNG, one 28x28 box",
                        pair(
                                "b-2",
                                b -> b.setImage(new Image(ByteBuffer.wrap(png), ImageFormat.PNG, 30_000, 30_000))
                                        .setRegions(List.of(new Box(0, 0, 28, 28)))
                                        .setGroundTruth(null))));
    }

    /** (c) Ground-truth region indexes that would size an array. */
    List<BatteryRecord> hostileRegionIndexes() {
        int[] indexes = {2_000_000_000, Integer.MAX_VALUE, -1, Integer.MIN_VALUE};
        List<BatteryRecord> out = new ArrayList<>();
        for (int i = 0; i < indexes.length; i++) {
            int index = indexes[i];
            out.add(BatteryRecord.hostile(
                    "c",
                    "ground truth regionIndex " + index,
                    pair(
                            "c-" + (i + 1),
                            b -> b.setGroundTruth(List.of(
                                    new RegionTruth(0, List.of("red")), new RegionTruth(index, List.of("seven")))))));
        }
        return out;
    }

    /** (d) Length prefixes that lie, in otherwise valid bytes written field by field. */
    List<BatteryRecord> lyingLengthPrefixes() {
        Object[][] lies = {
            {LyingAvro.Field.PAIR_ID, NEAR_MAX_ARRAY},
            {LyingAvro.Field.REPORT, NEAR_MAX_ARRAY},
            {LyingAvro.Field.IMAGE_DATA, NEAR_MAX_ARRAY},
            {LyingAvro.Field.REGIONS, NEAR_MAX_ARRAY},
            {LyingAvro.Field.GROUND_TRUTH, NEAR_MAX_ARRAY},
            {LyingAvro.Field.ATTRIBUTES, NEAR_MAX_ARRAY},
            {LyingAvro.Field.REPORT, 1L << 31},
            {LyingAvro.Field.REPORT, 1L << 62},
            {LyingAvro.Field.PAIR_ID, -1L},
            {LyingAvro.Field.IMAGE_DATA, 100_000_000L},
            {LyingAvro.Field.REGIONS, 100_000_000L},
        };
        List<BatteryRecord> out = new ArrayList<>();
        for (int i = 0; i < lies.length; i++) {
            LyingAvro.Field field = (LyingAvro.Field) lies[i][0];
            long claimed = (Long) lies[i][1];
            ImageReportPair p = pair("d-" + (i + 1), b -> {});
            out.add(BatteryRecord.hostileBytes(
                    "d",
                    field.name().toLowerCase().replace('_', ' ') + " length " + claimed,
                    p.getPairId(),
                    LyingAvro.encode(p, field, claimed),
                    p.getPairId()));
        }
        return out;
    }

    /** (e) Reports far beyond any real one: {@code reportBytes} of text, and 100,000 sentences. */
    List<BatteryRecord> hugeReports(int reportBytes) {
        return List.of(
                BatteryRecord.hostile(
                        "e",
                        String.format("report of %,d bytes", reportBytes),
                        pair(
                                "e-1",
                                b -> b.setReport(repeat("the color is red . the number is a seven . ", reportBytes)))),
                BatteryRecord.hostile(
                        "e", "report of 100,000 sentences", pair("e-2", b -> b.setReport("red. ".repeat(100_000)))));
    }

    /** (f) Valid records whose whole-image output alone would exceed the sink's 1 MB request size. */
    List<BatteryRecord> outputTooLarge() {
        byte[] big = HostileImages.noisyRgbPng(640, 640, random.nextLong());
        byte[] half = HostileImages.noisyRgbPng(420, 420, random.nextLong());
        return List.of(
                BatteryRecord.hostile(
                        "f",
                        String.format("640x640 noisy PNG of %,d bytes", big.length),
                        pair(
                                "f-1",
                                b -> b.setImage(new Image(ByteBuffer.wrap(big), ImageFormat.PNG, 640, 640))
                                        .setRegions(List.of())
                                        .setGroundTruth(null))),
                BatteryRecord.hostile(
                        "f",
                        String.format("420x420 noisy PNG of %,d bytes + 600 KB report", half.length),
                        pair(
                                "f-2",
                                b -> b.setImage(new Image(ByteBuffer.wrap(half), ImageFormat.PNG, 420, 420))
                                        .setRegions(List.of())
                                        .setGroundTruth(null)
                                        .setReport(repeat("the color is red . ", 600_000)))));
    }

    /** (g) Values that are no record at all. */
    List<BatteryRecord> notRecords() {
        byte[] valid = Codecs.IMAGE_REPORT_PAIR.encode(pair("g-7", b -> {}));
        byte[] header = Arrays.copyOf(valid, 10);
        byte[] unknownFingerprint = valid.clone();
        ByteBuffer.wrap(unknownFingerprint, 2, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(0x0123456789abcdefL);
        byte[] headerAndNoise = concat(header, randomBytes(200));
        return List.of(
                BatteryRecord.hostileBytes("g", "null value", "g-1", null, null),
                BatteryRecord.hostileBytes("g", "empty value", "g-2", new byte[0], null),
                BatteryRecord.hostileBytes(
                        "g", "text", "g-3", "this is not an Avro record".getBytes(StandardCharsets.UTF_8), null),
                BatteryRecord.hostileBytes("g", "4 KB random bytes", "g-4", randomBytes(4096), null),
                BatteryRecord.hostileBytes("g", "single-object header only", "g-5", header, null),
                BatteryRecord.hostileBytes("g", "header + 200 random bytes", "g-6", headerAndNoise, null),
                BatteryRecord.hostileBytes("g", "unknown schema fingerprint", "g-7", unknownFingerprint, "g-7"),
                BatteryRecord.hostileBytes("g", "null key, random bytes", null, randomBytes(300), null),
                BatteryRecord.hostileBytes("g", "one byte", "g-9", new byte[] {(byte) 0xc3}, null),
                BatteryRecord.hostileBytes("g", "marker bytes only", "g-10", Arrays.copyOf(valid, 2), null));
    }

    /** A copy of the template under {@code id}, changed by {@code change}. */
    ImageReportPair pair(String id, Consumer<ImageReportPair.Builder> change) {
        ImageReportPair.Builder b = ImageReportPair.newBuilder(template).setPairId(id);
        change.accept(b);
        return b.build();
    }

    private List<Box> boxes(int n) {
        int side = template.getImage().getWidth();
        List<Box> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int w = 8 + random.nextInt(21);
            int h = 8 + random.nextInt(21);
            out.add(new Box(random.nextInt(side - w + 1), random.nextInt(side - h + 1), w, h));
        }
        return out;
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    static String repeat(String unit, int bytes) {
        return unit.repeat(Math.max(1, bytes / unit.length()));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
