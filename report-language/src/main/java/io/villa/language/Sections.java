package io.villa.language;

import java.io.Serializable;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Report sections: a header names a section whose sentences count (FINDINGS, IMPRESSION) or do not (INDICATION,
 * HISTORY, COMPARISON, TECHNIQUE: "History: rule out pneumonia" is not pneumonia). A header is a sentence that starts
 * with up to five words and a colon whose words are, or end with, a known section name ("CLINICAL HISTORY:",
 * "FINAL REPORT EXAMINATION:"), or a sentence that is exactly a section name ("IMPRESSION" on its own line). Other
 * "Word:" prefixes ("Lungs: clear") are text. Sentences before the first header count, so a report without headers
 * counts whole.
 */
public final class Sections implements Serializable {

    private static final long serialVersionUID = 1L;

    /** A sentence longer than this is never a header without a colon. */
    private static final int MAX_BARE_HEADER_CHARS = 40;
    private static final Pattern PREFIX = Pattern.compile("^([\\p{L}][\\p{L}/&' -]{0,60}?)\\s*:\\s*");

    /** A known header at the start of a sentence: its section and the sentence's text after it. */
    public record Header(String section, boolean counted, String rest) {
    }

    private final HashSet<String> counted;
    private final HashSet<String> skipped;

    /** Section names in normal form (see {@link #key}). */
    Sections(Set<String> counted, Set<String> skipped) {
        this.counted = new HashSet<>(counted);
        this.skipped = new HashSet<>(skipped);
    }

    /** The normal form a section name is compared in: its normal-form words joined by one space. */
    static String key(String name) {
        return String.join(" ", Words.tokens(name));
    }

    /** The header {@code sentence} starts with, or null when it does not start with a known one. */
    public Header header(String sentence) {
        Matcher m = sentence.indexOf(':') > 0 ? PREFIX.matcher(sentence) : null;
        if (m != null && m.find()) {
            String name = key(m.group(1));
            if (name.split(" ").length <= 5) {
                Boolean known = known(name, true);
                if (known != null) {
                    return new Header(name, known, sentence.substring(m.end()).strip());
                }
            }
        }
        if (sentence.length() > MAX_BARE_HEADER_CHARS) {
            return null;
        }
        String bare = key(sentence);
        Boolean whole = known(bare, false);
        return whole == null ? null : new Header(bare, whole, "");
    }

    /** TRUE: counted, FALSE: skipped, null: not a section name. */
    private Boolean known(String name, boolean bySuffix) {
        if (counted.contains(name)) {
            return Boolean.TRUE;
        }
        if (skipped.contains(name)) {
            return Boolean.FALSE;
        }
        if (bySuffix) {
            for (int space = name.indexOf(' '); space >= 0; space = name.indexOf(' ', space + 1)) {
                Boolean tail = known(name.substring(space + 1), false);
                if (tail != null) {
                    return tail;
                }
            }
        }
        return null;
    }
}
