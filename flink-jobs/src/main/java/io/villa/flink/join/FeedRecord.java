package io.villa.flink.join;

/**
 * A decoded, checked image or report of a hospital feed: what the join keys and orders by, with the record itself still
 * encoded (Avro single-object bytes, decoded again only to build a pair) and where it came from (for dead letters).
 * Flink POJO: the stream element and the join's state.
 */
public class FeedRecord {

    /** Reports rank by status: a later one of the same or a higher rank replaces the earlier one. */
    public static final int PRELIMINARY = 0;
    public static final int FINAL = 1;
    public static final int CORRECTED = 2;

    public boolean image;
    public String studyKey;
    /** The instanceKey of an image, the messageKey of a report: duplicates are recognised by it. */
    public String itemKey;
    /** Reports: PRELIMINARY, FINAL or CORRECTED. */
    public int status;
    /** Reports: observedAt in ms, or -1 when the message did not say. */
    public long observedAt = -1;
    public String topic;
    public int partition;
    public long offset;
    public byte[] value;

    public FeedRecord() {
    }

    public String kind() {
        return image ? "image" : "report";
    }
}
