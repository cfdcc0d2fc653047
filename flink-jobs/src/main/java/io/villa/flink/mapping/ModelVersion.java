package io.villa.flink.mapping;

/**
 * One published version of the mapping model, as the learner broadcasts it to every applier: its parameters and
 * what produced them. Flink POJO. Every output record names the version that decomposed it; {@link #location}
 * is where the version was written as a loadable model (null when the job publishes none).
 */
public class ModelVersion {

    /** Model id of the mapping model in trainer events and records. */
    public static final String MODEL_ID = "villa-mapping";

    public long version;
    /** TRAIN images the version learned from (its last step's replay window). */
    public long trainSeen;
    /** Loss of the version's last step (NaN before any). */
    public float loss;
    /** {@link MappingModel#parameters()}. */
    public byte[] parameters;
    public String location;

    public ModelVersion() {
    }

    public static ModelVersion of(long version, long trainSeen, float loss, byte[] parameters) {
        ModelVersion v = new ModelVersion();
        v.version = version;
        v.trainSeen = trainSeen;
        v.loss = loss;
        v.parameters = parameters;
        return v;
    }
}
