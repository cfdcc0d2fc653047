package io.villa.producers.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class DicomJsonTest {

    private static DicomJson parse(String json) throws Exception {
        return DicomJson.of(new ObjectMapper().readTree(json));
    }

    @Test
    void readsStringsNamesAndNumbersAsServersWriteThem() throws Exception {
        DicomJson json = parse("""
                {"00080050": {"vr": "SH", "Value": ["  ACC1 "]},
                 "00100010": {"vr": "PN", "Value": [{"Alphabetic": "Doe^Jane"}]},
                 "00281050": {"vr": "DS", "Value": [1000, 40]},
                 "00281051": {"vr": "DS", "Value": ["350.5"]},
                 "00280010": {"vr": "US", "Value": [512]},
                 "00280301": {"vr": "CS"},
                 "00185101": {"vr": "CS", "Value": [null]}}
                """);
        assertThat(json.string(DicomJson.ACCESSION_NUMBER)).contains("ACC1");
        assertThat(json.string("00100010")).contains("Doe^Jane");
        assertThat(json.number(DicomJson.WINDOW_CENTER).getAsDouble()).isEqualTo(1000);
        assertThat(json.number(DicomJson.WINDOW_WIDTH).getAsDouble()).isEqualTo(350.5);
        assertThat(json.number(DicomJson.ROWS).getAsDouble()).isEqualTo(512);
        assertThat(json.string(DicomJson.BURNED_IN_ANNOTATION)).isEmpty();
        assertThat(json.string(DicomJson.VIEW_POSITION)).isEmpty();
        assertThat(json.number(DicomJson.ACCESSION_NUMBER)).isEmpty();
        assertThatThrownBy(() -> DicomJson.of(new ObjectMapper().readTree("[]"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void windowComesFromTheDicomAndIsAskedForExplicitly() throws Exception {
        RenderWindow window = RenderWindow.of(parse("""
                {"00281050": {"vr": "DS", "Value": ["1000"]}, "00281051": {"vr": "DS", "Value": [512.5]},
                 "00281056": {"vr": "CS", "Value": ["SIGMOID"]}}"""));
        assertThat(window.query()).isEqualTo("window=1000,512.5,sigmoid");
        assertThat(RenderWindow.of(parse("{\"00281050\": {\"vr\": \"DS\", \"Value\": [10]}}"))).isNull();
        assertThat(RenderWindow.of(parse("""
                {"00281050": {"vr": "DS", "Value": [10]}, "00281051": {"vr": "DS", "Value": [0]}}"""))).isNull();
    }

    @Test
    void uidsInPathsAreDigitsAndDotsOnlyAndNeverQuoted() {
        assertThat(new InstanceRef("1.2", "1.2.3", "1.2.3.4").path()).isEqualTo("studies/1.2/series/1.2.3/instances/1.2.3.4");
        assertThatThrownBy(() -> new InstanceRef("1.2/../x", "1", "1").path())
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("1.2/../x");
        assertThat(new InstanceRef("1.2", "1.2.3", "1.2.3.4").toString()).doesNotContain("1.2");
    }
}
