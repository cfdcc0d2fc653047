package io.villa.flink.join;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.villa.flink.io.DeadLetterOutput;
import io.villa.flink.io.KeyedBytes;
import io.villa.flink.operators.FailureInjection;
import io.villa.records.ImageReportPair;
import io.villa.records.Split;
import io.villa.records.StudyImage;
import io.villa.records.StudyReport;
import io.villa.schemas.Codecs;

/**
 * The join of one study (keyed by studyKey): images and reports in any order become one {@link ImageReportPair} per
 * image, on the pair topic. Semantics (README, "Hospital feeds"):
 * <ul>
 * <li>an image meets the study's current report when either arrives; a study with several images gives one pair each;</li>
 * <li>a report replaces the current one when its status ranks as high or higher (PRELIMINARY &lt; FINAL &lt; CORRECTED)
 * and it is not older by observedAt; a replacement with new text makes a new pair version for every image of the
 * study, pair id {@code <studyKey[0..16]>/<instanceKey[0..16]>/v<n>}, n counting the study's report versions from 1;
 * a PRELIMINARY report makes pairs too (a later FINAL or CORRECTED one supersedes them); an older or lower-ranked
 * report arriving late is dropped (logged);</li>
 * <li>an image whose instanceKey or a report whose messageKey the study has seen is a resend, dropped;</li>
 * <li>the study's state lives for the TTL after its last arrival (a processing-time timer): then each image still
 * without a report, or the report still without an image, goes to the dead-letter topic with the reason, and the
 * state is cleared (a paired study is cleared without dead letters);</li>
 * <li>images beyond --max-images-per-study, reports beyond --max-reports-per-study and anything that would make the
 * study's state larger than --max-study-bytes are dead letters.</li>
 * </ul>
 */
public final class StudyJoin extends KeyedProcessFunction<String, FeedRecord, KeyedBytes>
        implements CheckpointListener {

    public static final String STAGE_ORPHAN = "join.orphan";
    public static final String STAGE_LIMIT = "join.limit";
    public static final String STAGE_OUTPUT = "join.output";
    /** The source of every pair the join makes. */
    public static final String SOURCE = "hospital";

    static final int KEY_PREFIX = 16;

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(StudyJoin.class);

    private final JoinConfig config;

    private transient MapState<String, FeedRecord> images;
    private transient ValueState<Integer> imageCount;
    private transient ValueState<FeedRecord> report;
    private transient MapState<String, Boolean> messages;
    private transient ValueState<Integer> messageCount;
    private transient ValueState<Integer> version;
    private transient ValueState<Long> heldBytes;
    private transient ValueState<Long> deadline;

    private transient long pairsOut;
    private transient boolean checkpointDone;

    public StudyJoin(JoinConfig config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext openContext) {
        TypeInformation<FeedRecord> record = TypeInformation.of(FeedRecord.class);
        images = getRuntimeContext().getMapState(new MapStateDescriptor<>("images", Types.STRING, record));
        imageCount = getRuntimeContext().getState(new ValueStateDescriptor<>("image-count", Types.INT));
        report = getRuntimeContext().getState(new ValueStateDescriptor<>("report", record));
        messages = getRuntimeContext().getMapState(new MapStateDescriptor<>("messages", Types.STRING, Types.BOOLEAN));
        messageCount = getRuntimeContext().getState(new ValueStateDescriptor<>("message-count", Types.INT));
        version = getRuntimeContext().getState(new ValueStateDescriptor<>("version", Types.INT));
        heldBytes = getRuntimeContext().getState(new ValueStateDescriptor<>("held-bytes", Types.LONG));
        deadline = getRuntimeContext().getState(new ValueStateDescriptor<>("deadline", Types.LONG));
    }

    @Override
    public void processElement(FeedRecord r, Context ctx, Collector<KeyedBytes> out) throws Exception {
        if (r.image) {
            addImage(r, ctx, out);
        } else {
            addReport(r, ctx, out);
        }
        // the TTL counts from the study's last arrival, of either kind
        Long previous = deadline.value();
        if (previous != null) {
            ctx.timerService().deleteProcessingTimeTimer(previous);
        }
        long next = ctx.timerService().currentProcessingTime() + config.ttlMs();
        ctx.timerService().registerProcessingTimeTimer(next);
        deadline.update(next);
    }

    private void addImage(FeedRecord r, Context ctx, Collector<KeyedBytes> out) throws Exception {
        if (images.contains(r.itemKey)) {
            LOG.debug("duplicate image {} of study {} dropped", prefix(r.itemKey), prefix(r.studyKey));
            return;
        }
        int count = orZero(imageCount.value());
        if (count >= config.maxImagesPerStudy()) {
            reject(ctx, r, STAGE_LIMIT, "study already holds " + count + " images, the limit (--max-images-per-study)");
            return;
        }
        if (!fits(r.value.length, ctx, r)) {
            return;
        }
        images.put(r.itemKey, r);
        imageCount.update(count + 1);
        heldBytes.update(orZero(heldBytes.value()) + r.value.length);
        FeedRecord current = report.value();
        if (current != null) {
            emit(r, current, orZero(version.value()), ctx, out);
        }
    }

    private void addReport(FeedRecord r, Context ctx, Collector<KeyedBytes> out) throws Exception {
        if (messages.contains(r.itemKey)) {
            LOG.debug("duplicate report message {} of study {} dropped", prefix(r.itemKey), prefix(r.studyKey));
            return;
        }
        int count = orZero(messageCount.value());
        if (count >= config.maxReportsPerStudy()) {
            reject(
                    ctx,
                    r,
                    STAGE_LIMIT,
                    "study already had " + count + " report messages, the limit (--max-reports-per-study)");
            return;
        }
        messages.put(r.itemKey, Boolean.TRUE);
        messageCount.update(count + 1);
        FeedRecord current = report.value();
        if (current != null && !supersedes(r, current)) {
            LOG.info(
                    "report {} of study {} dropped: {} after {} (a later version is already paired)",
                    prefix(r.itemKey),
                    prefix(r.studyKey),
                    statusName(r.status),
                    statusName(current.status));
            return;
        }
        long held = orZero(heldBytes.value()) - (current == null ? 0 : current.value.length);
        if (held + r.value.length > config.maxStudyBytes()) {
            reject(
                    ctx,
                    r,
                    STAGE_LIMIT,
                    "the study's state would hold " + (held + r.value.length) + " bytes, over the limit of "
                            + config.maxStudyBytes() + " (--max-study-bytes)");
            return;
        }
        heldBytes.update(held + r.value.length);
        report.update(r);
        if (current != null && sameText(current, r)) {
            // a FINAL that confirms the PRELIMINARY word for word: the pairs already made stand
            return;
        }
        int v = orZero(version.value()) + 1;
        version.update(v);
        for (Map.Entry<String, FeedRecord> image : images.entries()) {
            emit(image.getValue(), r, v, ctx, out);
        }
    }

    /** Higher rank, or the same rank and not older (observedAt when both say, else arrival order). */
    static boolean supersedes(FeedRecord next, FeedRecord current) {
        if (next.status != current.status) {
            return next.status > current.status;
        }
        return next.observedAt < 0 || current.observedAt < 0 || next.observedAt >= current.observedAt;
    }

    private static boolean sameText(FeedRecord a, FeedRecord b) {
        return DecodeFeed.STUDY_REPORT
                .decode(a.value)
                .getReport()
                .toString()
                .equals(DecodeFeed.STUDY_REPORT.decode(b.value).getReport().toString());
    }

    private boolean fits(long bytes, Context ctx, FeedRecord r) throws Exception {
        long held = orZero(heldBytes.value());
        if (held + bytes > config.maxStudyBytes()) {
            reject(
                    ctx,
                    r,
                    STAGE_LIMIT,
                    "the study's state would hold " + (held + bytes) + " bytes, over the limit of "
                            + config.maxStudyBytes() + " (--max-study-bytes)");
            return false;
        }
        return true;
    }

    private void emit(FeedRecord imageRecord, FeedRecord reportRecord, int v, Context ctx, Collector<KeyedBytes> out) {
        StudyImage image = DecodeFeed.STUDY_IMAGE.decode(imageRecord.value);
        StudyReport text = DecodeFeed.STUDY_REPORT.decode(reportRecord.value);
        String pairId = pairId(imageRecord.studyKey, imageRecord.itemKey, v);
        Split split = image.getSplit() != null
                ? image.getSplit()
                : SplitAssigner.forStudy(imageRecord.studyKey, config.valFraction(), config.testFraction());
        Instant eventTime =
                image.getEventTime().isAfter(text.getEventTime()) ? image.getEventTime() : text.getEventTime();
        ImageReportPair pair = ImageReportPair.newBuilder()
                .setPairId(pairId)
                .setSource(SOURCE)
                .setSplit(split)
                .setImage(image.getImage())
                .setReport(text.getReport())
                .setRegions(image.getRegions())
                .setGroundTruth(image.getGroundTruth())
                .setEventTime(eventTime)
                .build();
        byte[] encoded = Codecs.IMAGE_REPORT_PAIR.encode(pair);
        if (encoded.length > config.maxOutputRecordBytes()) {
            reject(
                    ctx,
                    imageRecord,
                    STAGE_OUTPUT,
                    "pair of " + encoded.length + " bytes is over the sink's limit of " + config.maxOutputRecordBytes()
                            + " (--max-output-record-bytes)");
            return;
        }
        out.collect(KeyedBytes.of(pairId, encoded));
        pairsOut++;
        FailureInjection.maybeFail(config.failOnceAfter(), pairsOut, checkpointDone);
    }

    /** {@code <studyKey[0..16]>/<instanceKey[0..16]>/v<n>}: one id per image and report version. */
    public static String pairId(String studyKey, String instanceKey, int version) {
        return prefix(studyKey) + "/" + prefix(instanceKey) + "/v" + version;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<KeyedBytes> out) throws Exception {
        Long due = deadline.value();
        if (due == null || due != timestamp) {
            return; // a deadline moved on by a later arrival
        }
        String ttl = java.time.Duration.ofMillis(config.ttlMs()).toString();
        FeedRecord current = report.value();
        if (current == null) {
            List<FeedRecord> alone = new ArrayList<>();
            images.values().forEach(alone::add);
            for (FeedRecord image : alone) {
                reject(
                        ctx,
                        image,
                        STAGE_ORPHAN,
                        "orphan image: no report for its study within the TTL of " + ttl + " (--ttl)");
            }
        } else if (orZero(imageCount.value()) == 0) {
            reject(
                    ctx,
                    current,
                    STAGE_ORPHAN,
                    "orphan report: no image of its study within the TTL of " + ttl + " (--ttl)");
        }
        images.clear();
        imageCount.clear();
        report.clear();
        messages.clear();
        messageCount.clear();
        version.clear();
        heldBytes.clear();
        deadline.clear();
    }

    private void reject(Context ctx, FeedRecord r, String stage, String reason) {
        LOG.warn(
                "dead letter at {}: {} {} of study {}: {}",
                stage,
                r.kind(),
                prefix(r.itemKey),
                prefix(r.studyKey),
                reason);
        ctx.output(DeadLetterOutput.TAG, FeedDeadLetters.of(stage, r, new JoinRejection(reason)));
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        checkpointDone = true;
    }

    static String prefix(String key) {
        return key.length() <= KEY_PREFIX ? key : key.substring(0, KEY_PREFIX);
    }

    private static String statusName(int status) {
        return switch (status) {
            case FeedRecord.PRELIMINARY -> "PRELIMINARY";
            case FeedRecord.FINAL -> "FINAL";
            default -> "CORRECTED";
        };
    }

    private static int orZero(Integer v) {
        return v == null ? 0 : v;
    }

    private static long orZero(Long v) {
        return v == null ? 0 : v;
    }
}
