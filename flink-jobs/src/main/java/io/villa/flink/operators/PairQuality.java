package io.villa.flink.operators;

/**
 * What one decomposed pair adds to the mapping quality: its split, and against its ground truth (when it has one)
 * the correct assignments, all assignments and the true region-attribute pairs, overall and per attribute type of
 * the vocabulary. Flink POJO, no ids or text.
 */
public class PairQuality {

    public String split;
    public boolean hasTruth;
    public long correct;
    public long assigned;
    public long truePairs;
    /** Per type of the vocabulary, in its order: correct, assigned, truePairs (3 values per type; empty without types). */
    public long[] typeCounts = new long[0];
    public long modelVersion;
    public long trainSeen;
    public float loss;

    public PairQuality() {
    }
}
