package io.villa.trainer.train;

/**
 * Early stopping on a validation metric (higher is better) measured at the end of each pass: stop once
 * {@code patience} passes in a row brought no new best. A pass without a measurement (NaN: no validation data)
 * neither improves nor counts against the patience, so training then runs all its passes.
 */
public final class EarlyStopping {

    /**
     * What a checkpoint keeps of it.
     *
     * @param bestPass  the pass that measured best (0: none yet)
     * @param best      its metric (NaN: none yet)
     * @param sinceBest passes since then that measured something
     */
    public record State(int bestPass, double best, int sinceBest) {
        public static State none() {
            return new State(0, Double.NaN, 0);
        }
    }

    private final int patience;
    private State state = State.none();

    public EarlyStopping(int patience) {
        if (patience < 1) {
            throw new IllegalArgumentException("patience must be >= 1");
        }
        this.patience = patience;
    }

    /** Continues from a checkpoint's state. */
    public EarlyStopping restore(State s) {
        this.state = s;
        return this;
    }

    /** @return whether {@code metric} is a new best */
    public boolean record(int pass, double metric) {
        if (Double.isNaN(metric)) {
            return false;
        }
        if (state.bestPass() == 0 || metric > state.best()) {
            state = new State(pass, metric, 0);
            return true;
        }
        state = new State(state.bestPass(), state.best(), state.sinceBest() + 1);
        return false;
    }

    public boolean shouldStop() {
        return state.sinceBest() >= patience;
    }

    public int bestPass() {
        return state.bestPass();
    }

    public double best() {
        return state.best();
    }

    public State state() {
        return state;
    }
}
