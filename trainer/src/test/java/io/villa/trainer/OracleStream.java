package io.villa.trainer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.producer.ProducerRecord;

import io.villa.records.ImageReportPair;
import io.villa.records.RegionAttributePair;
import io.villa.records.Split;
import io.villa.schemas.Codecs;
import io.villa.trainer.oracle.OracleDecomposition;

/**
 * DocMNIST through the ORACLE decomposition (ground truth, not the mapping model): the
 * region-attribute records the trainer's tests stream through Kafka.
 */
public final class OracleStream {

    private OracleStream() {
    }

    public static List<RegionAttributePair> records(Split split, int budget, int complexity, long seed) {
        List<RegionAttributePair> out = new ArrayList<>();
        for (ImageReportPair pair : DocMnistData.pairs(split, budget, complexity, seed)) {
            out.addAll(OracleDecomposition.decompose(pair));
        }
        return out;
    }

    public static List<ProducerRecord<byte[], byte[]>> kafkaRecords(String topic, List<RegionAttributePair> records) {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        for (RegionAttributePair r : records) {
            out.add(new ProducerRecord<>(topic, r.getPairId().toString().getBytes(StandardCharsets.UTF_8),
                    Codecs.REGION_ATTRIBUTE_PAIR.encode(r)));
        }
        return out;
    }

    public static String key(RegionAttributePair r) {
        return r.getPairId() + "#" + r.getRegionIndex();
    }
}
