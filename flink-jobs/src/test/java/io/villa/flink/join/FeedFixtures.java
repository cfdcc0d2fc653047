package io.villa.flink.join;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import io.villa.flink.io.RawRecord;
import io.villa.records.Box;
import io.villa.records.Image;
import io.villa.records.ImageFormat;
import io.villa.records.RegionTruth;
import io.villa.records.ReportStatus;
import io.villa.records.Split;
import io.villa.records.StudyImage;
import io.villa.records.StudyReport;

/** Study images and reports as the feeds write them (keys: 64-hex pseudonyms), for the join's tests. */
public final class FeedFixtures {

    public static final String IMAGES = "test.study-images";
    public static final String REPORTS = "test.study-reports";

    private FeedFixtures() {}

    /** A stand-in pseudonym: SHA-256 hex of the name (the real ones are keyed HMACs; the join only needs the shape). */
    public static String key(String name) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static StudyImage image(String study, String instance, Split split) {
        return StudyImage.newBuilder()
                .setStudyKey(key(study))
                .setInstanceKey(key(instance))
                .setSource("dicomweb")
                .setImage(Image.newBuilder()
                        .setData(ByteBuffer.wrap(new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3}))
                        .setFormat(ImageFormat.PNG)
                        .setWidth(28)
                        .setHeight(28)
                        .build())
                .setModality("CR")
                .setViewPosition("PA")
                .setSplit(split)
                .setRegions(List.of(new Box(0, 0, 14, 14), new Box(14, 14, 14, 14)))
                .setGroundTruth(List.of(new RegionTruth(0, List.of("seven")), new RegionTruth(1, List.of("red"))))
                .setEventTime(Instant.ofEpochMilli(1_000))
                .build();
    }

    public static StudyReport report(String study, String message, ReportStatus status, String text, Long observedAt) {
        return StudyReport.newBuilder()
                .setStudyKey(key(study))
                .setMessageKey(key(message))
                .setSource("hl7")
                .setStatus(status)
                .setReport(text)
                .setObservedAt(observedAt == null ? null : Instant.ofEpochMilli(observedAt))
                .setEventTime(Instant.ofEpochMilli(2_000))
                .build();
    }

    public static byte[] encode(StudyImage image) {
        return DecodeFeed.STUDY_IMAGE.encode(image);
    }

    public static byte[] encode(StudyReport report) {
        return DecodeFeed.STUDY_REPORT.encode(report);
    }

    static FeedRecord record(StudyImage image, long offset) throws JoinRejection {
        return DecodeFeed.images(defaults())
                .decode(raw(IMAGES, offset, image.getStudyKey().toString(), encode(image)));
    }

    static FeedRecord record(StudyReport report, long offset) throws JoinRejection {
        return DecodeFeed.reports(defaults())
                .decode(raw(REPORTS, offset, report.getStudyKey().toString(), encode(report)));
    }

    static RawRecord raw(String topic, long offset, String key, byte[] value) {
        return new RawRecord(topic, 0, offset, 0L, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
    }

    static JoinConfig defaults() {
        return JoinConfig.builder().setTtl(java.time.Duration.ofSeconds(10)).build();
    }
}
