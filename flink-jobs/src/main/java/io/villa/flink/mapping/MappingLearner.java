package io.villa.flink.mapping;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.apache.flink.annotation.VisibleForTesting;

/**
 * Learns the mapping model from TRAIN images, one optimisation step at a time, exactly as the
 * {@link LearningSchedule} owes them: what it learns depends only on the images offered and their order, never on
 * when {@link #step} runs, so learning can run beside the stream and a restored learner continues exactly.
 *
 * <p>Each step draws {@code batchSize} distinct images from its round's replay window with a random generator
 * seeded by the configuration's seed and the model version; the version is the number of steps taken. The model
 * is warm once the warm-up steps have run. Not thread-safe: {@link BackgroundLearner} gives it one owner at a time.
 */
public final class MappingLearner implements AutoCloseable {

    private final MappingConfig config;
    private final MappingModel model;
    private final ReplayBuffer replay;
    private final LearningSchedule schedule;
    private long version;
    private long trainSeen;
    private float lastLoss = Float.NaN;
    private long learnedFrom;

    public MappingLearner(MappingConfig config, int attributes) {
        this.config = config;
        this.model = new MappingModel(config, attributes);
        this.replay = new ReplayBuffer(config.replaySize());
        this.schedule = new LearningSchedule(config);
    }

    /** A learner restored from {@link #stateBytes()} of a learner with the same configuration and vocabulary. */
    public MappingLearner(MappingConfig config, int attributes, byte[] state) {
        LearnerState s = LearnerState.fromBytes(state);
        this.config = config;
        this.model = MappingModel.restore(config, attributes, s.model);
        this.replay = new ReplayBuffer(config.replaySize(), s.replayFirst, s.replay);
        this.schedule = new LearningSchedule(config, s.warmUpOwed, s.warm, s.sinceLastRound, s.owed);
        this.version = s.version;
        this.trainSeen = s.trainSeen;
        this.lastLoss = s.lastLoss;
        this.learnedFrom = s.learnedFrom;
    }

    /** True when the image has something to learn from: at least one region and one attribute. */
    public static boolean learnable(MappingExample example) {
        return example.attributes().length > 0 && example.regionCount() > 0;
    }

    /**
     * Takes one TRAIN image (never validation or test data) into the replay buffer and the schedule. An image
     * with nothing to learn from is ignored.
     */
    public void offer(MappingExample example) {
        if (!learnable(example)) {
            return;
        }
        replay.add(example);
        trainSeen++;
        schedule.imageArrived(trainSeen);
        replay.trimBefore(schedule.oldestWindowEnd(trainSeen));
    }

    /**
     * Takes one TRAIN image and runs every step it makes owed, before returning: learning in the caller's thread
     * (benchmarks and tests; the job learns on a {@link BackgroundLearner}).
     */
    @VisibleForTesting
    public void learn(MappingExample example) {
        offer(example);
        while (hasWork()) {
            step();
        }
    }

    /** Owes the warm-up now on the images there are (at least two): the input ended, or pairs cannot wait longer. */
    public boolean oweWarmUpNow() {
        return schedule.warmUpNow(trainSeen);
    }

    /** {@link #oweWarmUpNow} and runs the owed steps; true when the model is warm afterwards. */
    public boolean warmUpNow() {
        oweWarmUpNow();
        while (hasWork()) {
            step();
        }
        return isWarm();
    }

    /** Runs {@code steps} steps more than the schedule owes, on the newest window (tests and benchmarks). */
    @VisibleForTesting
    public void train(int steps) {
        if (replay.size() >= 2 && steps > 0) {
            schedule.oweExtra(trainSeen, steps);
            while (hasWork()) {
                step();
            }
        }
    }

    /** True while steps are owed. */
    public boolean hasWork() {
        return schedule.next() != null;
    }

    /** Takes the next owed step; returns its loss. */
    public float step() {
        List<MappingExample> batch = nextBatch();
        float loss = trainOnly(batch);
        stepTaken(loss);
        return loss;
    }

    /** The batch of the next owed step (reads the replay buffer and the schedule; changes nothing). */
    public List<MappingExample> nextBatch() {
        LearningSchedule.Round round = schedule.next();
        if (round == null) {
            throw new IllegalStateException("no step is owed");
        }
        int batch = Math.min(config.batchSize(), replay.windowSize(round.windowEnd));
        learnedFrom = round.windowEnd;
        return new ArrayList<>(
                replay.sample(round.windowEnd, batch, new SplittableRandom(config.seed() * 1_000_003L + version)));
    }

    /** Bookkeeping of a step whose optimisation {@link #trainOnly} ran; true when it ended a round. */
    boolean stepTaken(float loss) {
        lastLoss = loss;
        version++;
        boolean roundEnded = schedule.stepTaken();
        replay.trimBefore(schedule.oldestWindowEnd(trainSeen));
        return roundEnded;
    }

    /** The optimisation of a step alone (no bookkeeping): see {@link #stepTaken}. */
    float trainOnly(List<MappingExample> batch) {
        return model.trainStep(batch);
    }

    /** TRAIN images the last step's window ended at: what the current version has learned from. */
    public long learnedFrom() {
        return learnedFrom;
    }

    /** Applies the current model: one assignment per example (attributes of its report only). */
    public List<Assignment> assign(List<MappingExample> examples) {
        return Assignment.all(model, examples, config.epsilon());
    }

    public boolean isWarm() {
        return schedule.isWarm();
    }

    public boolean warmUpOwed() {
        return schedule.warmUpOwed();
    }

    public long version() {
        return version;
    }

    public long trainSeen() {
        return trainSeen;
    }

    public int stepsOwed() {
        return schedule.stepsOwed();
    }

    /** TRAIN images that arrived after the oldest owed round was owed: how far learning runs behind. */
    public long lagImages() {
        return trainSeen - schedule.oldestWindowEnd(trainSeen);
    }

    public float lastLoss() {
        return lastLoss;
    }

    public int replaySize() {
        return replay.size();
    }

    public MappingConfig config() {
        return config;
    }

    /** The trained parameters only: what an applier needs. */
    public byte[] parameters() {
        return model.parameters();
    }

    /** Everything that defines this learner (see {@link LearnerState}). */
    public byte[] stateBytes() {
        LearnerState s = new LearnerState();
        s.model = model.state();
        s.version = version;
        s.lastLoss = lastLoss;
        s.learnedFrom = learnedFrom;
        s.trainSeen = trainSeen;
        s.warmUpOwed = schedule.warmUpOwed();
        s.warm = schedule.isWarm();
        s.sinceLastRound = schedule.sinceLastRound();
        s.owed = schedule.owedRounds();
        s.replayFirst = replay.first();
        s.replay = replay.images();
        return s.toBytes();
    }

    @Override
    public void close() {
        model.close();
    }
}
