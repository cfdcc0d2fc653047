package io.villa.flink.operators;

/**
 * A validated pair, ready for the mapping model: regions cut out (fixed-size pixels for the model, PNG
 * crops for the output), report split into sentences. Flink POJO (arrays only, no generic collections).
 */
public class PreparedPair {

    public String pairId;
    public String split;
    public long eventTime;

    public byte[] imageData;
    public String imageFormat;
    public int width;
    public int height;
    public String report;

    /** Each {x, y, width, height}: the source's proposals or the grid. */
    public int[][] boxes;
    /** Per region: unsigned 8-bit RGB, channel-major, 3 x regionSize x regionSize (see RegionPixels#pixels). */
    public byte[][] regionPixels;
    /** Per region: the crop as PNG. */
    public byte[][] regionPng;
    public String[] sentences;
    /**
     * The attributes the report names (vocabulary indexes, ascending), found once by {@link ValidateAndPrepare}; null in
     * a pair restored from a checkpoint written before they were kept, which the mapping operators then extract again.
     */
    public int[] attributes;
    /** Per entry of {@link #attributes}, the ascending indexes into {@link #sentences} of the sentences that carry it. */
    public int[][] attributeSentences;
    /** Per region, the true attribute words; null when unknown. */
    public String[][] groundTruth;

    public String topic;
    public int partition;
    public long offset;
    /** The record as it arrived, for a dead letter if the mapping stage cannot decompose it. */
    public byte[] rawKey;
    public byte[] rawValue;

    /**
     * The mapping model version that decomposes this pair: the version the learner had sent when it passed the pair on
     * (-1 before). Every applier subtask uses exactly this version, whatever reaches it first on the network.
     */
    public long modelVersion = -1;

    public PreparedPair() {
    }

    public int regionCount() {
        return boxes.length;
    }
}
