package io.villa.flink.mapping;

import java.io.Serializable;

/**
 * What a restored learner needs, as a Flink-friendly POJO: the trained parameters, the model version
 * (optimisation steps taken), how many TRAIN images it has seen, and whether it had passed warm-up.
 * The replay buffer is not kept (it refills from the stream), which keeps checkpoints small.
 */
public class LearnerState implements Serializable {

    private static final long serialVersionUID = 1L;

    public byte[] parameters;
    public long version;
    public long trainSeen;
    public boolean warm;

    public LearnerState() {
    }

    public LearnerState(byte[] parameters, long version, long trainSeen, boolean warm) {
        this.parameters = parameters;
        this.version = version;
        this.trainSeen = trainSeen;
        this.warm = warm;
    }
}
