package io.villa.flink.join;

import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.villa.flink.io.DeadLetterOutput;
import io.villa.flink.io.RawRecord;
import io.villa.records.StudyImage;
import io.villa.records.StudyReport;
import io.villa.schemas.AvroCodec;

/**
 * Kafka bytes of one feed topic -> {@link FeedRecord}: a {@code StudyImage} or a {@code StudyReport} (one instance
 * per topic), decoded and checked against the {@link JoinConfig} limits. Anything else is a dead letter and the
 * stream goes on.
 */
public final class DecodeFeed extends ProcessFunction<RawRecord, FeedRecord> {

    public static final String STAGE = "join.decode";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DecodeFeed.class);

    static final AvroCodec<StudyImage> STUDY_IMAGE = AvroCodec.of(StudyImage.class);
    static final AvroCodec<StudyReport> STUDY_REPORT = AvroCodec.of(StudyReport.class);

    private final boolean images;
    private final JoinConfig config;

    private DecodeFeed(boolean images, JoinConfig config) {
        this.images = images;
        this.config = config;
    }

    public static DecodeFeed images(JoinConfig config) {
        return new DecodeFeed(true, config);
    }

    public static DecodeFeed reports(JoinConfig config) {
        return new DecodeFeed(false, config);
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<FeedRecord> out) {
        FeedRecord record;
        try {
            record = decode(raw);
        } catch (JoinRejection e) {
            LOG.warn("dead letter at {}: {}-{}@{}: {}", STAGE, raw.topic, raw.partition, raw.offset, e.getMessage());
            ctx.output(
                    DeadLetterOutput.TAG, FeedDeadLetters.of(STAGE, raw.topic, raw.partition, raw.offset, raw.key, e));
            return;
        }
        out.collect(record);
    }

    FeedRecord decode(RawRecord raw) throws JoinRejection {
        String what = images ? "StudyImage" : "StudyReport";
        if (raw.value == null) {
            throw new JoinRejection("record has no value");
        }
        if (raw.value.length > config.maxRecordBytes()) {
            throw new JoinRejection("record of " + raw.value.length + " bytes is over the limit of "
                    + config.maxRecordBytes() + " (--max-record-bytes)");
        }
        FeedRecord r = new FeedRecord();
        r.image = images;
        r.topic = raw.topic;
        r.partition = raw.partition;
        r.offset = raw.offset;
        r.value = raw.value;
        try {
            if (images) {
                StudyImage image = STUDY_IMAGE.decode(raw.value);
                r.studyKey = key("studyKey", image.getStudyKey());
                r.itemKey = key("instanceKey", image.getInstanceKey());
                key("source", image.getSource());
            } else {
                StudyReport report = STUDY_REPORT.decode(raw.value);
                r.studyKey = key("studyKey", report.getStudyKey());
                r.itemKey = key("messageKey", report.getMessageKey());
                key("source", report.getSource());
                if (report.getReport().length() > config.maxReportChars()) {
                    throw new JoinRejection("report of " + report.getReport().length()
                            + " characters is over the limit of " + config.maxReportChars() + " (--max-report-chars)");
                }
                r.status = switch (report.getStatus()) {
                    case PRELIMINARY -> FeedRecord.PRELIMINARY;
                    case FINAL -> FeedRecord.FINAL;
                    case CORRECTED -> FeedRecord.CORRECTED;
                };
                r.observedAt = report.getObservedAt() == null
                        ? -1
                        : report.getObservedAt().toEpochMilli();
            }
        } catch (RuntimeException e) {
            // the class only: a decoder's message may quote the bytes it choked on
            throw new JoinRejection("not a " + what + " record (" + e.getClass().getSimpleName() + ")");
        }
        return r;
    }

    private String key(String field, CharSequence value) throws JoinRejection {
        if (value == null || value.length() == 0) {
            throw new JoinRejection(field + " is empty");
        }
        if (value.length() > config.maxKeyChars()) {
            throw new JoinRejection(field + " of " + value.length() + " characters is over the limit of "
                    + config.maxKeyChars() + " (--max-key-chars)");
        }
        return value.toString();
    }
}
