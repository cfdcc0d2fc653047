package io.villa.flink.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.villa.kafka.embedded.EmbeddedKafkaExtension;
import io.villa.records.DeadLetter;
import io.villa.records.ImageReportPair;
import io.villa.records.RegionAttributePair;
import io.villa.records.Split;
import io.villa.schemas.Codecs;

/**
 * Broken records mixed into a stream of real DocMNIST pairs, through the whole job in a MiniCluster and the embedded
 * broker: each broken one lands in the dead-letter topic with its stage and reason, every good one is decomposed.
 */
class BrokenRecordsPipelineIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @Test
    void brokenRecordsBecomeDeadLettersAndTheGoodOnesAreUnharmed(@TempDir Path checkpoints) throws Exception {
        PipelineHarness job = new PipelineHarness(KAFKA.broker(), "broken");
        List<ImageReportPair> good = TestPairs.take(TestPairs.generator(11, 8), Split.TRAIN, 40);
        ImageReportPair template = good.get(0);

        // the broken ones sit in the middle of the stream, between good pairs
        List<Object> stream = new ArrayList<>(good.subList(0, 20));
        byte[] notARecord = PipelineHarness.bytes("this is not an Avro record");
        stream.add(notARecord);
        stream.add(TestPairs.undecodableImage(template));
        stream.add(TestPairs.emptyReport(template));
        stream.add(TestPairs.boxOutside(template));
        stream.add(TestPairs.regionTooSmall(template));
        stream.addAll(good.subList(20, good.size()));
        job.produce(stream);

        job.run(job.args(checkpoints, "--bounded"));

        Map<String, DeadLetter> letters = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : job.readCommitted(job.topics.deadLetters())) {
            DeadLetter letter = Codecs.DEAD_LETTER.decode(r.value());
            assertThat(letter.getSourceTopic()).isEqualTo(job.topics.imageReportPairs());
            assertThat(letter.getSourceOffset()).isNotNull();
            assertThat(letters.put(r.key(), letter))
                    .as("one dead letter per broken record: %s", r.key())
                    .isNull();
        }
        assertThat(letters)
                .containsOnlyKeys("raw-20", "broken-image", "broken-report", "broken-box-outside", "broken-box-small");

        assertThat(letters.get("raw-20").getStage()).isEqualTo("decompose.decode");
        assertThat(letters.get("raw-20").getOriginalValue().array()).isEqualTo(notARecord);
        assertReason(letters.get("broken-image"), "does not decode");
        assertReason(letters.get("broken-report"), "no sentences");
        assertReason(letters.get("broken-box-outside"), "outside");
        assertReason(letters.get("broken-box-small"), "smaller than the minimum");

        // every good pair was decomposed: exactly one whole-image record each, none for the broken ones
        List<RegionAttributePair> regions = job.readCommitted(job.topics.regionAttributePairs()).stream()
                .map(r -> Codecs.REGION_ATTRIBUTE_PAIR.decode(r.value()))
                .toList();
        Map<String, Integer> wholeImages = PipelineHarness.countByKey(
                regions.stream().filter(RegionAttributePair::getWholeImage).map(RegionAttributePair::getPairId));
        assertThat(wholeImages.keySet())
                .containsExactlyInAnyOrderElementsOf(
                        good.stream().map(ImageReportPair::getPairId).toList());
        assertThat(wholeImages.values()).containsOnly(1);
        assertThat(regions).allSatisfy(r -> assertThat(r.getPairId()).doesNotStartWith("broken"));
        assertThat(regions.stream().filter(r -> !r.getWholeImage()))
                .as("regions with attributes")
                .isNotEmpty();
    }

    private static void assertReason(DeadLetter letter, String reason) {
        assertThat(letter.getStage()).isEqualTo("decompose.validate");
        assertThat(letter.getErrorMessage()).contains(reason);
        assertThat(letter.getOriginalValue()).isNotNull();
    }
}
