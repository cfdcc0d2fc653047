package io.villa.flink.mapping;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learns the mapping model online from TRAIN images as they arrive and applies it to any image.
 *
 * <p>Recent TRAIN images are kept in a bounded replay buffer (oldest out); every {@code batchSize} new
 * ones trigger {@code passes} optimisation steps on batches drawn from the buffer, so each image is seen
 * several times. The model is warm once {@code warmupPairs} TRAIN images have arrived and
 * {@code warmupSteps} steps have run on them; before that it must not decompose anything. The version is
 * the number of optimisation steps taken. Not thread-safe.
 */
public final class MappingLearner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MappingLearner.class);

    private final MappingConfig config;
    private final MappingModel model;
    private final List<MappingExample> replay = new ArrayList<>();
    private final Random random;
    private int replayNext;
    private long version;
    private long trainSeen;
    private int sinceLastRound;
    private boolean warm;
    private boolean refilling;
    private float lastLoss = Float.NaN;

    public MappingLearner(MappingConfig config, int attributes) {
        this(config, attributes, null);
    }

    /** @param restored a state from {@link #state()} with the same configuration, or null for a fresh model */
    public MappingLearner(MappingConfig config, int attributes, LearnerState restored) {
        this.config = config;
        this.model = new MappingModel(config, attributes, restored == null ? null : restored.parameters);
        if (restored != null) {
            version = restored.version;
            trainSeen = restored.trainSeen;
            warm = restored.warm;
            refilling = restored.warm;
        }
        this.random = new Random(config.seed() + version);
    }

    /** Learns from one TRAIN image (never call it with validation or test data). */
    public void learn(MappingExample example) {
        if (example.attributes().length == 0 || example.regionCount() == 0) {
            return;
        }
        remember(example);
        trainSeen++;
        sinceLastRound++;
        if (!warm) {
            if (trainSeen >= config.warmupPairs() && replay.size() >= 2) {
                train(config.warmupSteps());
                warm = true;
                sinceLastRound = 0;
                LOG.info("mapping model warm after {} train images, version {}, loss {}", trainSeen, version, lastLoss);
            }
        } else if (sinceLastRound >= config.batchSize() && !refilling()) {
            train(config.passes());
            sinceLastRound = 0;
        }
    }

    /**
     * Puts a TRAIN image back into the replay buffer without counting it as new (after a restore: the
     * buffer is not checkpointed, but TRAIN pairs still waiting for warm-up are).
     */
    public void remember(MappingExample example) {
        if (example.attributes().length == 0 || example.regionCount() == 0) {
            return;
        }
        if (replay.size() < config.replaySize()) {
            replay.add(example);
        } else {
            replay.set(replayNext, example);
            replayNext = (replayNext + 1) % config.replaySize();
        }
    }

    /**
     * Replay size needed for a training round. After a restore the buffer starts empty (it is not
     * checkpointed): many passes over a handful of images would overfit them, so rounds wait until it refills.
     */
    private boolean refilling() {
        if (refilling && replay.size() >= Math.min(4 * config.batchSize(), config.replaySize())) {
            refilling = false;
        }
        return refilling;
    }

    /** Runs {@code steps} optimisation steps on random batches from the replay buffer. */
    public void train(int steps) {
        if (replay.size() < 2) {
            return;
        }
        int batch = Math.min(config.batchSize(), replay.size());
        for (int s = 0; s < steps; s++) {
            lastLoss = model.trainStep(sample(batch));
            version++;
        }
    }

    private List<MappingExample> sample(int n) {
        // partial Fisher-Yates over indexes: n distinct images
        int[] idx = new int[replay.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        List<MappingExample> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int j = i + random.nextInt(idx.length - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
            out.add(replay.get(idx[i]));
        }
        return out;
    }

    /**
     * A forward pass of {@code example} alone: throws when the model cannot take it (shapes, sizes), so a caller
     * can refuse it before it enters the replay buffer, where it would break every later training batch.
     */
    public void check(MappingExample example) {
        if (example.attributes().length > 0 && example.regionCount() > 0) {
            model.scores(List.of(example));
        }
    }

    /**
     * Warms the model now on the TRAIN images it has, however few (the input ended before warm-up): true when
     * it is warm afterwards, false when fewer than two images leave nothing to learn from.
     */
    public boolean warmUpNow() {
        if (!warm && replay.size() >= 2) {
            train(config.warmupSteps());
            warm = true;
            sinceLastRound = 0;
        }
        return warm;
    }

    /** Applies the current model: one assignment per example (attributes of its report only). */
    public List<Assignment> assign(List<MappingExample> examples) {
        List<Assignment> out = new ArrayList<>(examples.size());
        int chunk = 128;
        for (int from = 0; from < examples.size(); from += chunk) {
            List<MappingExample> part = examples.subList(from, Math.min(examples.size(), from + chunk));
            float[][][] scores = model.scores(part);
            for (int i = 0; i < part.size(); i++) {
                out.add(Assignment.of(scores[i], part.get(i).attributes(), part.get(i).regionCount(), config.epsilon()));
            }
        }
        return out;
    }

    public boolean isWarm() {
        return warm;
    }

    public long version() {
        return version;
    }

    public long trainSeen() {
        return trainSeen;
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

    public LearnerState state() {
        return new LearnerState(model.parameters(), version, trainSeen, warm);
    }

    @Override
    public void close() {
        model.close();
    }
}
