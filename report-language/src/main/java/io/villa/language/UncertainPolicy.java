package io.villa.language;

/** Whether an uncertain mention ("possible pneumonia") makes an attribute present. */
public enum UncertainPolicy {
    /** Uncertain mentions count as present. */
    POSITIVE,
    /** Only positive mentions count (the default). */
    IGNORE;

    /** "positive" or "ignore", in any case. */
    public static UncertainPolicy parse(String text) {
        for (UncertainPolicy p : values()) {
            if (p.name().equalsIgnoreCase(text.strip())) {
                return p;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not an uncertain policy: positive or ignore");
    }

    boolean counts(Polarity p) {
        return p == Polarity.POSITIVE || p == Polarity.UNCERTAIN && this == POSITIVE;
    }
}
