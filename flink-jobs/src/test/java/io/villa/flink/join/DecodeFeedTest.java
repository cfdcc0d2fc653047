package io.villa.flink.join;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.villa.records.ReportStatus;
import io.villa.records.Split;

/** Decoding and checking feed records; what a dead letter of a broken record keeps. */
class DecodeFeedTest {

    private final JoinConfig config = JoinConfig.builder()
            .setTtl(Duration.ofSeconds(1))
            .optMaxReportChars(10)
            .optMaxRecordBytes(4096)
            .build();

    @Test
    void decodesImagesAndReports() throws Exception {
        FeedRecord image = DecodeFeed.images(config)
                .decode(FeedFixtures.raw("t", 3, null, FeedFixtures.encode(FeedFixtures.image("s", "i", Split.TRAIN))));
        assertThat(image.image).isTrue();
        assertThat(image.studyKey).isEqualTo(FeedFixtures.key("s"));
        assertThat(image.itemKey).isEqualTo(FeedFixtures.key("i"));
        assertThat(image.offset).isEqualTo(3);
        FeedRecord report = DecodeFeed.reports(config)
                .decode(FeedFixtures.raw(
                        "t",
                        4,
                        null,
                        FeedFixtures.encode(FeedFixtures.report("s", "m", ReportStatus.CORRECTED, "short", 7L))));
        assertThat(report.image).isFalse();
        assertThat(report.status).isEqualTo(FeedRecord.CORRECTED);
        assertThat(report.observedAt).isEqualTo(7);
    }

    @Test
    void rejectsWhatIsNotTheTopicsRecordOrOverTheLimitsWithoutQuotingIt() {
        DecodeFeed reports = DecodeFeed.reports(config);
        assertThatThrownBy(() -> reports.decode(
                        FeedFixtures.raw("t", 0, null, "Patient^Jane 1970".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(JoinRejection.class)
                .hasMessageStartingWith("not a StudyReport record")
                .hasMessageNotContaining("Jane");
        assertThatThrownBy(() -> reports.decode(
                        FeedFixtures.raw("t", 0, null, FeedFixtures.encode(FeedFixtures.image("s", "i", Split.TRAIN)))))
                .hasMessageStartingWith("not a StudyReport record");
        assertThatThrownBy(() -> reports.decode(FeedFixtures.raw(
                        "t",
                        0,
                        null,
                        FeedFixtures.encode(
                                FeedFixtures.report("s", "m", ReportStatus.FINAL, "far too long a report", null)))))
                .hasMessageContaining("--max-report-chars")
                .hasMessageNotContaining("far too long");
        assertThatThrownBy(() -> reports.decode(FeedFixtures.raw("t", 0, null, new byte[5000])))
                .hasMessageContaining("--max-record-bytes");
        assertThatThrownBy(() -> reports.decode(FeedFixtures.raw("t", 0, null, null)))
                .hasMessageContaining("no value");
    }

    @Test
    void aDeadLetterKeepsAKeyOnlyWhenItIsAPseudonymAndNeverTheValue() {
        String pseudonym = FeedFixtures.key("s");
        assertThat(FeedDeadLetters.pseudonymOrNull(pseudonym.getBytes(StandardCharsets.US_ASCII)))
                .isNotNull();
        assertThat(FeedDeadLetters.pseudonymOrNull("ACC12345".getBytes(StandardCharsets.US_ASCII)))
                .isNull();
        assertThat(FeedDeadLetters.pseudonymOrNull(pseudonym.toUpperCase().getBytes(StandardCharsets.US_ASCII)))
                .isNull();
        var letter = io.villa.schemas.Codecs.DEAD_LETTER.decode(FeedDeadLetters.of(
                        "join.decode",
                        "t",
                        1,
                        2,
                        "ACC12345".getBytes(StandardCharsets.US_ASCII),
                        new JoinRejection("why"))
                .value);
        assertThat(letter.getOriginalKey()).isNull();
        assertThat(letter.getOriginalValue()).isNull();
        assertThat(letter.getSourceOffset()).isEqualTo(2L);
        assertThat(letter.getErrorMessage().toString()).isEqualTo("why");
    }

    @Test
    void ttlAcceptsShortAndIsoForms() {
        assertThat(JoinOptions.DurationConverter.parse("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(JoinOptions.DurationConverter.parse("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(JoinOptions.DurationConverter.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(JoinOptions.DurationConverter.parse("PT2H")).isEqualTo(Duration.ofHours(2));
        assertThatThrownBy(() -> JoinOptions.DurationConverter.parse("soon")).hasMessageContaining("not a duration");
    }
}
