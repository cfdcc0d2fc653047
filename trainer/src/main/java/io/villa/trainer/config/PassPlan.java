package io.villa.trainer.config;

import static io.villa.trainer.config.ConfigChecks.checkArgument;

/**
 * How often a bounded data set (a replayed topic, or examples in memory) is trained over: up to {@code passes} passes,
 * evaluated on validation text->region R-precision at the end of each, stopping early after {@code patience} passes
 * in a row without a new best (the paper: up to 100 epochs, patience 5). The best model is kept. One pass is plain
 * streaming: the data is read once, as it comes.
 */
public record PassPlan(int passes, int patience) {

    public PassPlan {
        checkArgument(passes >= 1, "passes must be >= 1, got %s", passes);
        checkArgument(patience >= 1, "patience must be >= 1, got %s", patience);
    }

    /** Read once (the streaming trainer). */
    public static PassPlan once() {
        return new PassPlan(1, 5);
    }

    public boolean replays() {
        return passes > 1;
    }
}
