package io.villa.kafka;

import java.util.List;

/**
 * The topics of a hospital feed, before the join: de-identified images from the PACS follower and de-identified
 * reports from the HL7 listener. The join job reads both and writes image-report pairs to {@link TopicNames}'s pair
 * topic. Neither topic ever holds PHI: keys are keyed pseudonyms and report text is scrubbed at the edge.
 */
public record FeedTopicNames(String studyImages, String studyReports) {

    public static final String DEFAULT_STUDY_IMAGES = "villa.study-images";
    public static final String DEFAULT_STUDY_REPORTS = "villa.study-reports";

    public static FeedTopicNames defaults() {
        return new FeedTopicNames(DEFAULT_STUDY_IMAGES, DEFAULT_STUDY_REPORTS);
    }

    public List<String> all() {
        return List.of(studyImages, studyReports);
    }
}
