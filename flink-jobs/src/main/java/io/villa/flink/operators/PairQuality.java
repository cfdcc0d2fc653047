package io.villa.flink.operators;

/**
 * What one decomposed pair adds to the mapping quality: its split, and against its ground truth (when it has one)
 * the correct assignments, all assignments and the true region-attribute pairs. Flink POJO, no ids or text.
 */
public class PairQuality {

    public String split;
    public boolean hasTruth;
    public long correct;
    public long assigned;
    public long truePairs;
    public long modelVersion;
    public long trainSeen;
    public float loss;

    public PairQuality() {
    }
}
