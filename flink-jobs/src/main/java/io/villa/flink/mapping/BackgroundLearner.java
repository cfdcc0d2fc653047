package io.villa.flink.mapping;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link MappingLearner}'s owed steps on a thread of its own, so the stream never waits for a learning
 * round: {@link #offer} only adds an image and returns. When warm-up ends, and at the end of every round that
 * brings {@code publishEvery} or more steps since the last publication, the new version is published (a function of
 * the schedule only, so a restored or rescaled job publishes the same versions): handed to {@code publish} (which
 * may write it as a loadable model and returns it with its location) and queued for the operator to broadcast
 * ({@link #takePublished}).
 *
 * <p>Two locks: {@code data} guards the replay buffer and schedule ({@link #offer} takes only this one), {@code model}
 * is held for one whole step, so {@link #stateBytes} (a checkpoint) waits at most one step, never a round.
 * A failure on the learning thread is kept and rethrown to the caller by {@link #rethrowIfFailed}.
 */
public final class BackgroundLearner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BackgroundLearner.class);

    private final MappingLearner learner;
    private final long publishEvery;
    private final UnaryOperator<ModelVersion> publish;
    private final Object data = new Object();
    // fair: a checkpoint waiting for the lock gets it after the current step; the learning thread would otherwise take
    // it again at once
    private final ReentrantLock model = new ReentrantLock(true);
    private final List<ModelVersion> published = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;
    private volatile long lastPublished;
    /** Guarded by {@code data}: a step is taken but its publication not yet done. */
    private boolean settling;

    /**
     * @param lastPublished the version published last (restored from state), so a restored learner does not publish
     *                      it again
     */
    public BackgroundLearner(
            MappingLearner learner,
            long publishEvery,
            long lastPublished,
            UnaryOperator<ModelVersion> publish,
            String threadName) {
        if (publishEvery < 1) {
            throw new IllegalArgumentException("publishEvery must be >= 1, got " + publishEvery);
        }
        this.learner = learner;
        this.publishEvery = publishEvery;
        this.publish = publish;
        this.lastPublished = lastPublished;
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** Adds a TRAIN image to learn from; never waits for a step. */
    public void offer(MappingExample example) {
        synchronized (data) {
            learner.offer(example);
            data.notifyAll();
        }
    }

    /** Owes the warm-up now on the images there are; false with fewer than two. */
    public boolean warmUpNow() {
        synchronized (data) {
            boolean owed = learner.oweWarmUpNow();
            data.notifyAll();
            return owed;
        }
    }

    private void run() {
        try {
            while (running) {
                synchronized (data) {
                    while (running && !learner.hasWork()) {
                        data.wait(1000);
                    }
                }
                if (!running) {
                    return;
                }
                model.lock();
                try {
                    step();
                } finally {
                    model.unlock();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            LOG.error("mapping learner failed at version {}: {}", learner.version(), t.toString());
            failure = t;
        }
    }

    /** One step, with the model lock held; publishes when it is due. */
    private void step() {
        List<MappingExample> batch;
        boolean wasWarm;
        synchronized (data) {
            batch = learner.nextBatch();
            wasWarm = learner.isWarm();
        }
        float loss = learner.trainOnly(batch);
        boolean warmNow;
        boolean roundEnded;
        synchronized (data) {
            roundEnded = learner.stepTaken(loss);
            warmNow = learner.isWarm();
            settling = true; // counted as owed until its version, if due, is published
        }
        if (warmNow && !wasWarm) {
            LOG.info(
                    "mapping model warm: version {} after {} TRAIN images, loss {}",
                    learner.version(),
                    learner.learnedFrom(),
                    loss);
        }
        if (warmNow && (!wasWarm || roundEnded && learner.version() - Math.max(0, lastPublished) >= publishEvery)) {
            publishCurrent();
        }
        synchronized (data) {
            settling = false;
            data.notifyAll(); // after publishing: a caller waiting for owed steps sees the version too
        }
    }

    /** Publishes the current version unless it is the one published last. Call with the model lock held. */
    private void publishCurrent() {
        if (learner.version() == lastPublished || !learner.isWarm()) {
            return;
        }
        ModelVersion v = publish.apply(
                ModelVersion.of(learner.version(), learner.learnedFrom(), learner.lastLoss(), learner.parameters()));
        lastPublished = v.version;
        synchronized (published) {
            published.add(v);
        }
    }

    /** The current model as a version (whether published or not), between two steps. */
    public ModelVersion current() {
        model.lock();
        try {
            synchronized (data) {
                return ModelVersion.of(
                        learner.version(), learner.learnedFrom(), learner.lastLoss(), learner.parameters());
            }
        } finally {
            model.unlock();
        }
    }

    /** The versions published since the last call, oldest first. */
    public List<ModelVersion> takePublished() {
        synchronized (published) {
            List<ModelVersion> out = new ArrayList<>(published);
            published.clear();
            return out;
        }
    }

    /** Puts versions back (restored ones that were published but not yet broadcast), before any new one. */
    public void requeue(List<ModelVersion> versions) {
        synchronized (published) {
            published.addAll(0, versions);
        }
    }

    /**
     * Waits until {@code condition} (evaluated with the data lock held) holds or the learner fails; logs progress
     * every {@code logEvery}.
     */
    public void await(BooleanSupplier condition, String what, Duration logEvery) throws InterruptedException {
        long nextLog = System.nanoTime() + logEvery.toNanos();
        synchronized (data) {
            while (!condition.getAsBoolean()) {
                rethrowIfFailed();
                data.wait(200);
                if (System.nanoTime() > nextLog) {
                    LOG.info(
                            "waiting for the mapping learner ({}): version {}, {} steps owed, {} TRAIN images behind",
                            what,
                            learner.version(),
                            learner.stepsOwed(),
                            learner.lagImages());
                    nextLog = System.nanoTime() + logEvery.toNanos();
                }
            }
        }
        rethrowIfFailed();
    }

    /** Waits until every owed step has run, then publishes the current version if it is new (end of a bounded input). */
    public void finish(Duration logEvery) throws InterruptedException {
        await(() -> !learner.hasWork(), "finishing owed steps", logEvery);
        model.lock();
        try {
            publishCurrent();
        } finally {
            model.unlock();
        }
    }

    /** The learner's state, the versions published but not yet taken, and the last published, all at one moment. */
    public record Snapshot(byte[] learner, List<ModelVersion> unsent, long lastPublished) {}

    /** A {@link Snapshot} taken between two steps (waits for at most one). */
    public Snapshot snapshot() {
        rethrowIfFailed();
        model.lock();
        try {
            byte[] state;
            synchronized (data) {
                state = learner.stateBytes();
            }
            synchronized (published) {
                return new Snapshot(state, new ArrayList<>(published), lastPublished);
            }
        } finally {
            model.unlock();
        }
    }

    /** Steps owed, counting a step just taken whose version is not yet published; call with the data lock held (in {@link #await}). */
    public int pendingSteps() {
        synchronized (data) {
            return learner.stepsOwed() + (settling ? 1 : 0);
        }
    }

    /** Reads the learner with the data lock held (counters for metrics and decisions). */
    public <T> T read(java.util.function.Function<MappingLearner, T> reader) {
        synchronized (data) {
            return reader.apply(learner);
        }
    }

    public long lastPublished() {
        return lastPublished;
    }

    public void rethrowIfFailed() {
        Throwable t = failure;
        if (t != null) {
            throw new IllegalStateException("the mapping learner failed: " + t, t);
        }
    }

    /** Stops the learning thread after its current step; the learner is closed. */
    @Override
    public void close() {
        running = false;
        synchronized (data) {
            data.notifyAll();
        }
        try {
            thread.join(Duration.ofMinutes(1).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        model.lock();
        try {
            learner.close();
        } finally {
            model.unlock();
        }
    }

    /** Publishes the current version if it is new (at stop), with the learning thread stopped. */
    public void publishAtStop() {
        running = false;
        synchronized (data) {
            data.notifyAll();
        }
        model.lock();
        try {
            publishCurrent();
        } finally {
            model.unlock();
        }
    }
}
