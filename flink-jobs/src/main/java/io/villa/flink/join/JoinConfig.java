package io.villa.flink.join;

import java.io.Serializable;
import java.time.Duration;

/** What the join needs to know, checked once when the job is built: TTL, split shares, limits. */
public final class JoinConfig implements Serializable {

    private static final long serialVersionUID = 1L;

    private final long ttlMs;
    private final double valFraction;
    private final double testFraction;
    private final int maxImagesPerStudy;
    private final int maxReportsPerStudy;
    private final long maxStudyBytes;
    private final int maxRecordBytes;
    private final int maxReportChars;
    private final int maxKeyChars;
    private final int maxOutputRecordBytes;
    private final long failOnceAfter;

    private JoinConfig(Builder b) {
        this.ttlMs = b.ttl.toMillis();
        this.valFraction = b.valFraction;
        this.testFraction = b.testFraction;
        this.maxImagesPerStudy = b.maxImagesPerStudy;
        this.maxReportsPerStudy = b.maxReportsPerStudy;
        this.maxStudyBytes = b.maxStudyBytes;
        this.maxRecordBytes = b.maxRecordBytes;
        this.maxReportChars = b.maxReportChars;
        this.maxKeyChars = b.maxKeyChars;
        this.maxOutputRecordBytes = b.maxOutputRecordBytes;
        this.failOnceAfter = b.failOnceAfter;
    }

    public static Builder builder() {
        return new Builder();
    }

    public long ttlMs() {
        return ttlMs;
    }

    public double valFraction() {
        return valFraction;
    }

    public double testFraction() {
        return testFraction;
    }

    public int maxImagesPerStudy() {
        return maxImagesPerStudy;
    }

    public int maxReportsPerStudy() {
        return maxReportsPerStudy;
    }

    public long maxStudyBytes() {
        return maxStudyBytes;
    }

    public int maxRecordBytes() {
        return maxRecordBytes;
    }

    public int maxReportChars() {
        return maxReportChars;
    }

    public int maxKeyChars() {
        return maxKeyChars;
    }

    public int maxOutputRecordBytes() {
        return maxOutputRecordBytes;
    }

    public long failOnceAfter() {
        return failOnceAfter;
    }

    /** {@code set*} required, {@code opt*} optional; {@link #build} names the first bad field. */
    public static final class Builder {
        private Duration ttl;
        private double valFraction = 0.1;
        private double testFraction = 0.1;
        private int maxImagesPerStudy = 16;
        private int maxReportsPerStudy = 32;
        private long maxStudyBytes = 64L << 20;
        private int maxRecordBytes = 8 << 20;
        private int maxReportChars = 65_536;
        private int maxKeyChars = 256;
        private int maxOutputRecordBytes = (1 << 20) - 8192;
        private long failOnceAfter;

        public Builder setTtl(Duration ttl) {
            this.ttl = ttl;
            return this;
        }

        public Builder optValFraction(double v) {
            this.valFraction = v;
            return this;
        }

        public Builder optTestFraction(double v) {
            this.testFraction = v;
            return this;
        }

        public Builder optMaxImagesPerStudy(int v) {
            this.maxImagesPerStudy = v;
            return this;
        }

        public Builder optMaxReportsPerStudy(int v) {
            this.maxReportsPerStudy = v;
            return this;
        }

        public Builder optMaxStudyBytes(long v) {
            this.maxStudyBytes = v;
            return this;
        }

        public Builder optMaxRecordBytes(int v) {
            this.maxRecordBytes = v;
            return this;
        }

        public Builder optMaxReportChars(int v) {
            this.maxReportChars = v;
            return this;
        }

        public Builder optMaxKeyChars(int v) {
            this.maxKeyChars = v;
            return this;
        }

        public Builder optMaxOutputRecordBytes(int v) {
            this.maxOutputRecordBytes = v;
            return this;
        }

        /**
         * Fault injection ({@code --inject-failure-after}, see FailureInjection): throw once after this many pairs and
         * a completed checkpoint (0: never).
         */
        public Builder optFailOnceAfter(long v) {
            this.failOnceAfter = v;
            return this;
        }

        public JoinConfig build() {
            if (ttl == null || ttl.isNegative() || ttl.isZero()) {
                throw new IllegalArgumentException("ttl (--ttl) must be positive, got " + ttl);
            }
            fraction("valFraction (--val-fraction)", valFraction);
            fraction("testFraction (--test-fraction)", testFraction);
            if (valFraction + testFraction > 1) {
                throw new IllegalArgumentException(
                        "valFraction + testFraction (--val-fraction, --test-fraction) must be at most 1, got "
                                + (valFraction + testFraction));
            }
            positive("maxImagesPerStudy (--max-images-per-study)", maxImagesPerStudy);
            positive("maxReportsPerStudy (--max-reports-per-study)", maxReportsPerStudy);
            positive("maxStudyBytes (--max-study-bytes)", maxStudyBytes);
            positive("maxRecordBytes (--max-record-bytes)", maxRecordBytes);
            positive("maxReportChars (--max-report-chars)", maxReportChars);
            positive("maxKeyChars (--max-key-chars)", maxKeyChars);
            positive("maxOutputRecordBytes (--max-output-record-bytes)", maxOutputRecordBytes);
            if (failOnceAfter < 0) {
                throw new IllegalArgumentException("failOnceAfter must not be negative, got " + failOnceAfter);
            }
            return new JoinConfig(this);
        }

        private static void fraction(String name, double v) {
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException(name + " must be within 0..1, got " + v);
            }
        }

        private static void positive(String name, long v) {
            if (v <= 0) {
                throw new IllegalArgumentException(name + " must be positive, got " + v);
            }
        }
    }
}
