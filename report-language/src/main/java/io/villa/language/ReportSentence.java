package io.villa.language;

/**
 * One sentence of a report, without its section header.
 *
 * @param text    the sentence
 * @param section the section it is in (normal form, e.g. "impression"), or "" before any header
 * @param counted whether its section counts (FINDINGS, IMPRESSION, or no header yet)
 */
public record ReportSentence(String text, String section, boolean counted) {
}
