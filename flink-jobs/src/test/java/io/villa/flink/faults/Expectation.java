package io.villa.flink.faults;

/** What the job must do with one record of the battery. */
enum Expectation {
    /** A valid pair: exactly one whole-image record (plus its regions), no dead letter. */
    DECOMPOSED,
    /** A hostile or invalid record: exactly one dead letter, no output. */
    DEAD_LETTERED,
    /** A random mutation: either outcome, but exactly one of them. */
    EITHER
}
