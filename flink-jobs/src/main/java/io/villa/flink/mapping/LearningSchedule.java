package io.villa.flink.mapping;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * When the learner owes optimisation steps, as a function of the TRAIN images that arrived and nothing else
 * (not of time, nor of how far behind learning runs), so a restored or rescaled job learns exactly what an
 * uninterrupted one does.
 *
 * <p>Warm-up: once {@code warmupPairs} images have arrived, {@code warmupSteps} steps are owed on them. After
 * that, every {@code batchSize} new images owe {@code passes} steps. Each group of owed steps is a {@link Round}
 * that remembers how many images had arrived when it was owed: its steps draw from that window of the replay
 * buffer, however late they run.
 */
final class LearningSchedule {

    /** Steps owed on the window of images that ends (exclusive) at arrival number {@code windowEnd}. */
    static final class Round {
        final long windowEnd;
        int stepsLeft;
        final boolean warmUp;

        Round(long windowEnd, int stepsLeft, boolean warmUp) {
            this.windowEnd = windowEnd;
            this.stepsLeft = stepsLeft;
            this.warmUp = warmUp;
        }
    }

    private final MappingConfig config;
    private final ArrayDeque<Round> owed = new ArrayDeque<>();
    private boolean warmUpOwed;
    private boolean warm;
    private int sinceLastRound;

    LearningSchedule(MappingConfig config) {
        this.config = config;
    }

    /** Restores a schedule from {@link #state}. */
    LearningSchedule(MappingConfig config, boolean warmUpOwed, boolean warm, int sinceLastRound, List<Round> owed) {
        this(config);
        this.warmUpOwed = warmUpOwed;
        this.warm = warm;
        this.sinceLastRound = sinceLastRound;
        this.owed.addAll(owed);
    }

    /** One more image arrived; {@code arrived} images in all. */
    void imageArrived(long arrived) {
        if (!warmUpOwed) {
            if (arrived >= Math.max(2, config.warmupPairs())) {
                oweWarmUp(arrived);
            }
            return;
        }
        if (++sinceLastRound >= config.batchSize()) {
            owed.addLast(new Round(arrived, config.passes(), false));
            sinceLastRound = 0;
        }
    }

    /** Owes the warm-up now, on the {@code arrived} images there are (the input ended or the waiting list is full). */
    boolean warmUpNow(long arrived) {
        if (!warmUpOwed && arrived >= 2) {
            oweWarmUp(arrived);
        }
        return warmUpOwed;
    }

    /** Owes {@code steps} more on the newest window, outside the schedule (tests and benchmarks). */
    void oweExtra(long arrived, int steps) {
        owed.addLast(new Round(arrived, steps, false));
    }

    private void oweWarmUp(long arrived) {
        warmUpOwed = true;
        sinceLastRound = 0;
        owed.addLast(new Round(arrived, Math.max(1, config.warmupSteps()), true));
    }

    /** The round the next step belongs to, or null when nothing is owed. */
    Round next() {
        return owed.peekFirst();
    }

    /** The next step of {@link #next()} was taken; true when it was its round's last. */
    boolean stepTaken() {
        Round r = owed.peekFirst();
        if (r == null) {
            throw new IllegalStateException("no step was owed");
        }
        if (--r.stepsLeft == 0) {
            owed.removeFirst();
            if (r.warmUp) {
                warm = true;
            }
            return true;
        }
        return false;
    }

    int stepsOwed() {
        int steps = 0;
        for (Round r : owed) {
            steps += r.stepsLeft;
        }
        return steps;
    }

    /** Arrival number where the oldest owed window ends, or {@code arrived} when nothing is owed. */
    long oldestWindowEnd(long arrived) {
        Round r = owed.peekFirst();
        return r == null ? arrived : r.windowEnd;
    }

    /** The warm-up steps have all run: the model may decompose. */
    boolean isWarm() {
        return warm;
    }

    boolean warmUpOwed() {
        return warmUpOwed;
    }

    int sinceLastRound() {
        return sinceLastRound;
    }

    List<Round> owedRounds() {
        return new ArrayList<>(owed);
    }
}
