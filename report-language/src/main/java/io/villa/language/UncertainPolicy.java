package io.villa.language;

/** Whether an uncertain mention ("possible pneumonia") makes an attribute present. */
public enum UncertainPolicy {
    /** Uncertain mentions count as present. */
    POSITIVE,
    /** Only positive mentions count (the default). */
    IGNORE;

    boolean counts(Polarity p) {
        return p == Polarity.POSITIVE || p == Polarity.UNCERTAIN && this == POSITIVE;
    }
}
