package io.villa.flink.operators;

/**
 * An {@code ImageReportPair} taken apart into Flink-POJO fields (Avro objects are not sent between
 * operators), with the raw record kept for dead letters further down.
 */
public class DecodedPair {

    public String topic;
    public int partition;
    public long offset;
    public byte[] rawKey;
    public byte[] rawValue;

    public String pairId;
    public String source;
    public String split;
    public byte[] imageData;
    public String imageFormat;
    public int width;
    public int height;
    public String report;
    /** Proposals of the source, each {x, y, width, height}; empty when it sent none. */
    public int[][] boxes;
    /** Per region (box index) the true attribute words; null when the source has no ground truth. */
    public String[][] groundTruth;
    public long eventTime;

    public DecodedPair() {
    }
}
