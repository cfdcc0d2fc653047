package io.villa.kafka;

import java.util.List;

/** The four topics of the system. Every name can be changed; the defaults are listed in docs/ARCHITECTURE.md. */
public record TopicNames(String imageReportPairs, String regionAttributePairs, String deadLetters, String trainerEvents) {

    public static final String DEFAULT_IMAGE_REPORT_PAIRS = "villa.image-report-pairs";
    public static final String DEFAULT_REGION_ATTRIBUTE_PAIRS = "villa.region-attribute-pairs";
    public static final String DEFAULT_DEAD_LETTERS = "villa.dead-letters";
    public static final String DEFAULT_TRAINER_EVENTS = "villa.trainer-events";

    public static TopicNames defaults() {
        return new TopicNames(DEFAULT_IMAGE_REPORT_PAIRS, DEFAULT_REGION_ATTRIBUTE_PAIRS, DEFAULT_DEAD_LETTERS, DEFAULT_TRAINER_EVENTS);
    }

    public List<String> all() {
        return List.of(imageReportPairs, regionAttributePairs, deadLetters, trainerEvents);
    }
}
