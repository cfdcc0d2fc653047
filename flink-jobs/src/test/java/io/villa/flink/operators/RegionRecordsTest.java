package io.villa.flink.operators;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.villa.flink.attributes.AttributeExtractor;
import io.villa.flink.attributes.AttributeVocabulary;
import io.villa.flink.attributes.ExtractedAttributes;
import io.villa.flink.mapping.Assignment;
import io.villa.records.RegionAttributePair;
import io.villa.schemas.Codecs;

/** Output records name the sentences that state each attribute; a pair keeps what validation found. */
class RegionRecordsTest {

    @Test
    void recordsCarryTheSentencesOfEachAttribute() throws IOException {
        AttributeVocabulary v = AttributeVocabulary.named("chest-xray");
        AttributeExtractor extractor = new AttributeExtractor(v);
        PreparedPair pair = pair(
                "INDICATION: effusion? FINDINGS: No pneumothorax. Small left effusion. Mild cardiomegaly. Effusion is stable.");
        ExtractedAttributes found = extractor.extract(pair.report);
        pair.sentences = found.sentences().toArray(String[]::new);
        Extracted.store(found, pair);
        ExtractedAttributes kept = Extracted.of(pair, extractor);
        assertThat(kept).isEqualTo(found);

        int effusion = v.indexOf("pleural effusion");
        int cardiomegaly = v.indexOf("cardiomegaly");
        float[][] scores = new float[v.size()][2];
        scores[effusion] = new float[] {0.9f, 0.1f};
        scores[cardiomegaly] = new float[] {0.1f, 0.8f};
        Assignment assignment = Assignment.of(scores, kept.present(), 2, 0.2f);
        List<RegionAttributePair> records = RegionRecords.of(pair, kept, assignment, v, 3);

        assertThat(records).hasSize(3);
        RegionAttributePair left =
                Codecs.REGION_ATTRIBUTE_PAIR.decode(Codecs.REGION_ATTRIBUTE_PAIR.encode(records.get(0)));
        assertThat(left.getAttributes()).containsExactly("pleural effusion");
        assertThat(left.getText()).isEqualTo("Small left effusion");
        assertThat(left.getAttributeSentences()).isEqualTo(Map.of("pleural effusion", List.of(2, 4)));
        assertThat(records.get(1).getAttributeSentences()).isEqualTo(Map.of("cardiomegaly", List.of(3)));
        RegionAttributePair whole = records.get(2);
        assertThat(whole.getWholeImage()).isTrue();
        assertThat(whole.getAttributes()).containsExactly("cardiomegaly", "pleural effusion");
        assertThat(whole.getAttributeSentences())
                .containsExactly(Map.entry("cardiomegaly", List.of(3)), Map.entry("pleural effusion", List.of(2, 4)));
    }

    @Test
    void aPairRestoredWithoutKeptAttributesIsExtractedAgain() {
        AttributeExtractor extractor = new AttributeExtractor(AttributeVocabulary.docMnist());
        PreparedPair pair = pair("the color is red . the number is a seven");
        pair.sentences = new String[] {"the color is red", "the number is a seven"};
        ExtractedAttributes found = Extracted.of(pair, extractor);
        assertThat(found.present()).containsExactly(7, 10);
        assertThat(found.sentenceIndexes()).containsEntry(10, List.of(0));
    }

    private static PreparedPair pair(String report) {
        PreparedPair p = new PreparedPair();
        p.pairId = "p1";
        p.split = "VAL";
        p.eventTime = 1;
        p.imageData = new byte[] {1, 2, 3};
        p.imageFormat = "PNG";
        p.width = 20;
        p.height = 10;
        p.report = report;
        p.boxes = new int[][] {{0, 0, 10, 10}, {10, 0, 10, 10}};
        p.regionPng = new byte[][] {{1}, {2}};
        p.regionPixels = new byte[2][3 * 28 * 28];
        return p;
    }
}
