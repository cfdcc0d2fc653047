package io.villa.trainer.checkpoint;

import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * What a checkpoint records besides the model: how far training got and the Kafka position to
 * resume from.
 *
 * @param step        optimisation steps done
 * @param samplesSeen training examples learned from (each exactly once)
 * @param regionsSeen of those, region examples (not whole images)
 * @param offsets     "topic:partition" -> offset of the next record not yet accounted for; every
 *                    record before it was either trained on or was not a training example
 * @param loss        smoothed training loss at that step (NaN before the first step)
 * @param metrics     the latest evaluation, e.g. "val.t2r.rprecision"
 * @param timeMillis  when it was written
 * @param passes      where a bounded replay stands (pass 1 for a streaming trainer)
 */
public record CheckpointState(long step, long samplesSeen, long regionsSeen, Map<String, Long> offsets, double loss,
                              Map<String, Double> metrics, long timeMillis, PassState passes) {

    public CheckpointState {
        offsets = Map.copyOf(offsets);
        metrics = Map.copyOf(metrics);
        java.util.Objects.requireNonNull(passes, "passes");
    }

    /** A streaming trainer's state (pass 1). */
    public CheckpointState(long step, long samplesSeen, long regionsSeen, Map<String, Long> offsets, double loss,
                           Map<String, Double> metrics, long timeMillis) {
        this(step, samplesSeen, regionsSeen, offsets, loss, metrics, timeMillis, PassState.initial());
    }

    public static CheckpointState initial() {
        return new CheckpointState(0, 0, 0, Map.of(), Double.NaN, Map.of(), 0);
    }

    public Properties toProperties() {
        Properties p = new Properties();
        p.setProperty("step", Long.toString(step));
        p.setProperty("samplesSeen", Long.toString(samplesSeen));
        p.setProperty("regionsSeen", Long.toString(regionsSeen));
        p.setProperty("loss", Double.toString(loss));
        p.setProperty("timeMillis", Long.toString(timeMillis));
        offsets.forEach((k, v) -> p.setProperty("offset." + k, Long.toString(v)));
        metrics.forEach((k, v) -> p.setProperty("metric." + k, Double.toString(v)));
        passes.write(p);
        return p;
    }

    public static CheckpointState fromProperties(Properties p) {
        Map<String, Long> offsets = new TreeMap<>();
        Map<String, Double> metrics = new TreeMap<>();
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith("offset.")) {
                offsets.put(key.substring("offset.".length()), Long.parseLong(p.getProperty(key)));
            } else if (key.startsWith("metric.")) {
                metrics.put(key.substring("metric.".length()), Double.parseDouble(p.getProperty(key)));
            }
        }
        return new CheckpointState(Long.parseLong(p.getProperty("step")), Long.parseLong(p.getProperty("samplesSeen")),
                Long.parseLong(p.getProperty("regionsSeen", "0")), offsets, Double.parseDouble(p.getProperty("loss", "NaN")),
                metrics, Long.parseLong(p.getProperty("timeMillis", "0")), PassState.read(p));
    }
}
