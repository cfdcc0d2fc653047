package io.villa.language;

/**
 * One attribute mentioned in one sentence.
 *
 * @param attribute the attribute's index in the vocabulary
 * @param polarity  what the sentence says about it
 * @param sentence  0-based index of the sentence among the report's sentences ({@link ReportFindings#sentences})
 */
public record Finding(int attribute, Polarity polarity, int sentence) {
}
