package io.villa.language;

/**
 * What a trigger phrase does to the mentions in its scope (NegEx and its successors): a pre-trigger affects mentions
 * after it, a post-trigger mentions before it, a two-way trigger both; a pseudo-trigger looks like one ("no change in",
 * "not only") but asserts nothing, and hides the shorter trigger inside it; a termination ends every scope.
 */
public enum TriggerKind {
    PRE_NEGATION("pre-negation"),
    POST_NEGATION("post-negation"),
    PRE_UNCERTAINTY("pre-uncertainty"),
    POST_UNCERTAINTY("post-uncertainty"),
    UNCERTAINTY_BOTH("uncertainty-both-ways"),
    PSEUDO("pseudo"),
    TERMINATION("termination");

    private final String fileName;

    TriggerKind(String fileName) {
        this.fileName = fileName;
    }

    /** The name of its list in a trigger file ({@code [pre-negation]}). */
    public String fileName() {
        return fileName;
    }

    boolean before() {
        return this == PRE_NEGATION || this == PRE_UNCERTAINTY || this == UNCERTAINTY_BOTH;
    }

    boolean after() {
        return this == POST_NEGATION || this == POST_UNCERTAINTY || this == UNCERTAINTY_BOTH;
    }

    /** The polarity a mention in its scope takes. */
    Polarity polarity() {
        return switch (this) {
            case PRE_NEGATION, POST_NEGATION -> Polarity.NEGATED;
            case PRE_UNCERTAINTY, POST_UNCERTAINTY, UNCERTAINTY_BOTH -> Polarity.UNCERTAIN;
            default -> Polarity.POSITIVE;
        };
    }
}
