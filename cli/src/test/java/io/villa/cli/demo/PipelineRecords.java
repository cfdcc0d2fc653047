package io.villa.cli.demo;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.villa.kafka.DeadLetters;
import io.villa.kafka.KafkaSettings;
import io.villa.records.Box;
import io.villa.records.Image;
import io.villa.records.ImageFormat;
import io.villa.records.ImageReportPair;
import io.villa.records.RegionAttributePair;
import io.villa.records.Split;
import io.villa.schemas.Codecs;

/** Records as the producer, the decomposition job and its dead-letter sink write them, for the monitor's tests. */
final class PipelineRecords {

    private PipelineRecords() {
    }

    static KafkaProducer<byte[], byte[]> producer(KafkaSettings kafka) {
        return new KafkaProducer<>(kafka.producerConfig(), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** A transactional producer, as the job's exactly-once sinks use; transactions already initialised. */
    static KafkaProducer<byte[], byte[]> transactional(KafkaSettings kafka, String id) {
        KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(kafka.transactionalProducerConfig(id), new ByteArraySerializer(),
                new ByteArraySerializer());
        p.initTransactions();
        return p;
    }

    static ProducerRecord<byte[], byte[]> pair(String topic, String id, Split split) {
        ImageReportPair pair = ImageReportPair.newBuilder().setPairId(id).setSource("test").setSplit(split)
                .setImage(image()).setReport("a report").setEventTime(Instant.EPOCH).build();
        return new ProducerRecord<>(topic, utf8(id), Codecs.IMAGE_REPORT_PAIR.encode(pair));
    }

    static ProducerRecord<byte[], byte[]> wholeImage(String topic, String id, Split split) {
        return region(topic, id, -1, split, null);
    }

    /** A region record; {@code truth} null: no ground truth. */
    static ProducerRecord<byte[], byte[]> region(String topic, String id, int index, Split split, List<String> truth) {
        RegionAttributePair r = RegionAttributePair.newBuilder().setPairId(id).setRegionIndex(index).setWholeImage(index < 0)
                .setBox(new Box(0, 0, 4, 4)).setRegionImage(image()).setAttributes(List.of("round")).setText("round")
                .setScores(Map.of()).setModelVersion(1).setSplit(split).setGroundTruth(truth).setEventTime(Instant.EPOCH).build();
        return new ProducerRecord<>(topic, utf8(id), Codecs.REGION_ATTRIBUTE_PAIR.encode(r));
    }

    /** A stage's reject of the record at {@code offset} of the pairs topic, keyed by its key, as the job writes it. */
    static ProducerRecord<byte[], byte[]> rejected(String topic, String stage, String pairsTopic, long offset, String id) {
        var letter = DeadLetters.forRecord(stage, pairsTopic, 0, offset, utf8(id), new byte[] {1},
                new IllegalArgumentException("rejected"));
        return new ProducerRecord<>(topic, utf8(id), Codecs.DEAD_LETTER.encode(letter));
    }

    /** A producer's dead letter for a pair it could not send: names the pairs topic, but no offset there. */
    static ProducerRecord<byte[], byte[]> notSent(String topic, String stage, String pairsTopic, String id) {
        var letter = DeadLetters.forInput(stage, id, utf8(id), new IllegalStateException("delivery failed"));
        letter.setSourceTopic(pairsTopic);
        return new ProducerRecord<>(topic, utf8(id), Codecs.DEAD_LETTER.encode(letter));
    }

    private static Image image() {
        return new Image(ByteBuffer.wrap(new byte[] {1, 2, 3}), ImageFormat.PNG, 4, 4);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
