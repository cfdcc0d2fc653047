package io.villa.language;

import java.util.Locale;

/** What a report says about one mention of an attribute. */
public enum Polarity {
    POSITIVE, NEGATED, UNCERTAIN;

    /** "positive", "negated", "uncertain": the JSON of {@code villa extract}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
