package io.villa.producers.kafka;

import io.villa.producers.ingest.IngestFailure;
import io.villa.records.ImageReportPair;

/** One input on its way to Kafka: the record it became, or why it could not become one. */
public record Attempt(String input, ImageReportPair pair, IngestFailure failure) {

    public static Attempt of(ImageReportPair pair) {
        return new Attempt(pair.getPairId(), pair, null);
    }

    public static Attempt failed(String input, IngestFailure failure) {
        return new Attempt(input, null, failure);
    }
}
