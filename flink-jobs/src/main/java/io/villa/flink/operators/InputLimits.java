package io.villa.flink.operators;

import java.io.Serializable;

import io.villa.kafka.KafkaSettings;

/**
 * How big an input may be, checked before the work that the size would make expensive: bytes before Avro
 * decoding, stated and header image dimensions before pixels are decoded, box counts before regions are
 * cut, output sizes before anything reaches a sink. A record over a limit is a dead letter with the reason.
 * Build with {@link #builder()}; every limit has a default that DocMNIST and ordinary X-ray feeds stay far below.
 */
public final class InputLimits implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int maxRecordBytes;
    private final int maxImageBytes;
    private final long maxImagePixels;
    private final int maxRegions;
    private final int maxReportChars;
    private final int maxIdChars;
    private final int maxOutputRecordBytes;

    private InputLimits(Builder b) {
        this.maxRecordBytes = positive("maxRecordBytes", b.maxRecordBytes);
        this.maxImageBytes = positive("maxImageBytes", b.maxImageBytes);
        this.maxImagePixels = positive("maxImagePixels", b.maxImagePixels);
        this.maxRegions = positive("maxRegions", b.maxRegions);
        this.maxReportChars = positive("maxReportChars", b.maxReportChars);
        this.maxIdChars = positive("maxIdChars", b.maxIdChars);
        this.maxOutputRecordBytes = positive("maxOutputRecordBytes", b.maxOutputRecordBytes);
    }

    private static long positive(String field, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be positive, got " + value);
        }
        return value;
    }

    private static int positive(String field, int value) {
        return (int) positive(field, (long) value);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static InputLimits defaults() {
        return builder().build();
    }

    /** Largest Kafka value read from the pair topic; larger ones are not decoded. */
    public int maxRecordBytes() {
        return maxRecordBytes;
    }

    /** Largest encoded image. */
    public int maxImageBytes() {
        return maxImageBytes;
    }

    /** Most pixels (width x height) an image may have, stated in the record or in its header. */
    public long maxImagePixels() {
        return maxImagePixels;
    }

    /** Most region boxes (and ground-truth regions) a pair may carry: the mapping model pads a batch to the largest. */
    public int maxRegions() {
        return maxRegions;
    }

    public int maxReportChars() {
        return maxReportChars;
    }

    /** Longest pair id or source name. */
    public int maxIdChars() {
        return maxIdChars;
    }

    /** Largest encoded output record (region-attribute pair, dead letter, event) a sink is asked to write. */
    public int maxOutputRecordBytes() {
        return maxOutputRecordBytes;
    }

    @Override
    public String toString() {
        return "InputLimits{maxRecordBytes=" + maxRecordBytes + ", maxImageBytes=" + maxImageBytes + ", maxImagePixels="
                + maxImagePixels + ", maxRegions=" + maxRegions + ", maxReportChars=" + maxReportChars + ", maxIdChars="
                + maxIdChars + ", maxOutputRecordBytes=" + maxOutputRecordBytes + "}";
    }

    /** Required: nothing; every limit has a default ({@code opt*}). */
    public static final class Builder {
        private int maxRecordBytes = 8 * 1024 * 1024;
        private int maxImageBytes = 4 * 1024 * 1024;
        private long maxImagePixels = 4096L * 4096L;
        private int maxRegions = 64;
        private int maxReportChars = 64 * 1024;
        private int maxIdChars = 256;
        private int maxOutputRecordBytes = KafkaSettings.recordLimit(KafkaSettings.DEFAULT_MAX_REQUEST_SIZE);

        private Builder() {
        }

        public Builder optMaxRecordBytes(int value) {
            this.maxRecordBytes = value;
            return this;
        }

        public Builder optMaxImageBytes(int value) {
            this.maxImageBytes = value;
            return this;
        }

        public Builder optMaxImagePixels(long value) {
            this.maxImagePixels = value;
            return this;
        }

        public Builder optMaxRegions(int value) {
            this.maxRegions = value;
            return this;
        }

        public Builder optMaxReportChars(int value) {
            this.maxReportChars = value;
            return this;
        }

        public Builder optMaxIdChars(int value) {
            this.maxIdChars = value;
            return this;
        }

        public Builder optMaxOutputRecordBytes(int value) {
            this.maxOutputRecordBytes = value;
            return this;
        }

        public InputLimits build() {
            return new InputLimits(this);
        }
    }
}
