package io.villa.producers.hl7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import ca.uhn.hl7v2.AcknowledgmentCode;
import io.villa.records.ReportStatus;

/** The ORU^R01 reader, the HAPI codec and MLLP framing, without sockets or Kafka. */
class OruReaderTest {

    private final Hl7Codec codec = new Hl7Codec();

    private OruMessage read(String message, AccessionField field) throws Hl7Rejection {
        return new OruReader(field).read(codec.parse(message.strip()));
    }

    @Test
    void readsAccessionTextStatusTimeAndWhatTheMessageKnows() throws Exception {
        OruMessage oru = read(OruFixtures.oru(7), AccessionField.OBR_3);
        assertThat(oru.controlId()).isEqualTo(OruFixtures.controlId(7));
        assertThat(oru.reports()).hasSize(1);
        OruMessage.Order order = oru.reports().get(0);
        assertThat(order.accession()).isEqualTo(OruFixtures.accession(7));
        assertThat(order.status()).isEqualTo(ReportStatus.FINAL);
        assertThat(order.observedAt()).isNotNull();
        assertThat(order.text().split("\n")).hasSize(6);
        assertThat(oru.names()).contains(OruFixtures.FAMILY, OruFixtures.GIVEN, OruFixtures.MIDDLE, OruFixtures.MAIDEN,
                OruFixtures.ALIAS, OruFixtures.KIN).doesNotContain("L"); // PID-5.7, the name type code, is no name
        assertThat(oru.ids()).contains(OruFixtures.mrn(7), "123-45-6789", OruFixtures.accession(7), OruFixtures.controlId(7),
                "ORD" + (4_400_000 + 7), "PX7");
        assertThat(oru.phones()).contains(OruFixtures.PHONE);
        assertThat(oru.addresses()).contains(OruFixtures.STREET, OruFixtures.CITY, "94301");
    }

    @Test
    void statusFallsBackToObx11AndOtherAccessionFieldsWork() throws Exception {
        String message = "MSH|^~\\&|RIS|H|V|R|20310101||ORU^R01|X1|P|2.3\r"
                + OruFixtures.segment("OBR", 25, 1, "1", 2, "PLACER9", 3, "FILLER9", 18, "ACCX9") + "\r"
                + "OBX|1|FT|IMP||Line one\\.br\\Line two \\H\\bold\\N\\||||||C\r"
                + "OBX|2|NM|SIZE||12||||||C\r"
                + "OBX|3|ST|IMP||third~fourth||||||C\r";
        OruMessage oru = read(message, AccessionField.OBR_18);
        assertThat(oru.reports().get(0).accession()).isEqualTo("ACCX9");
        assertThat(oru.reports().get(0).status()).isEqualTo(ReportStatus.CORRECTED);
        assertThat(oru.reports().get(0).text()).isEqualTo("Line one\nLine two bold\nthird\nfourth");
        assertThat(oru.reports().get(0).observedAt()).isNull();
        assertThat(read(message, AccessionField.OBR_2).reports().get(0).accession()).isEqualTo("PLACER9");
    }

    @Test
    void ordersOfTwoStudiesGiveTwoReports() throws Exception {
        String message = "MSH|^~\\&|RIS|H|V|R|20310101||ORU^R01|X2|P|2.5.1\r"
                + OruFixtures.segment("OBR", 25, 1, "1", 3, "A1", 25, "P") + "\r" + "OBX|1|TX|IMP||first||||||P\r"
                + OruFixtures.segment("OBR", 25, 1, "2", 3, "A2", 25, "F") + "\r" + "OBX|1|TX|IMP||second||||||F\r";
        List<OruMessage.Order> reports = read(message, AccessionField.OBR_3).reports();
        assertThat(reports).extracting(OruMessage.Order::accession).containsExactly("A1", "A2");
        assertThat(reports).extracting(OruMessage.Order::status).containsExactly(ReportStatus.PRELIMINARY, ReportStatus.FINAL);
        assertThat(reports).extracting(OruMessage.Order::text).containsExactly("first", "second");
    }

    @Test
    void rejectionsNameTheFieldNotTheValue() {
        assertThatThrownBy(() -> codec.parse("PID|1||SECRET")).isInstanceOf(Hl7Rejection.class)
                .hasMessageNotContaining("SECRET");
        String adt = OruFixtures.oru(8).replace("ORU^R01^ORU_R01", "ADT^A01^ADT_A01");
        assertThatThrownBy(() -> read(adt, AccessionField.OBR_3)).isInstanceOf(Hl7Rejection.class)
                .hasMessageContaining("MSH-9").satisfies(e -> assertThat(((Hl7Rejection) e).ack()).isEqualTo(AcknowledgmentCode.AR));
        String badStatus = OruFixtures.oru(8, "Z", "ACC1", List.of("text"));
        assertThatThrownBy(() -> read(badStatus, AccessionField.OBR_3)).isInstanceOf(Hl7Rejection.class)
                .hasMessageContaining("OBR-25").hasMessageNotContaining("Z")
                .satisfies(e -> assertThat(((Hl7Rejection) e).ack()).isEqualTo(AcknowledgmentCode.AE));
    }

    @Test
    void framesAreReadUpToTheLimitAndOversizedOnesAreSkippedInStep() throws Exception {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.write("\n\n".getBytes(StandardCharsets.US_ASCII)); // noise before a frame is skipped
        MllpFrames.write(stream, "small".getBytes(StandardCharsets.US_ASCII));
        MllpFrames.write(stream, "x".repeat(500).getBytes(StandardCharsets.US_ASCII));
        MllpFrames.write(stream, "after".getBytes(StandardCharsets.US_ASCII));
        stream.write(MllpFrames.START);
        stream.write("cut off".getBytes(StandardCharsets.US_ASCII));
        ByteArrayInputStream in = new ByteArrayInputStream(stream.toByteArray());

        assertThat(new String(MllpFrames.read(in, 100).data(), StandardCharsets.US_ASCII)).isEqualTo("small");
        MllpFrames.Frame big = MllpFrames.read(in, 100);
        assertThat(big.oversized()).isTrue();
        assertThat(big.length()).isEqualTo(500);
        assertThat(new String(MllpFrames.read(in, 100).data(), StandardCharsets.US_ASCII)).isEqualTo("after");
        assertThat(MllpFrames.read(in, 100)).isNull();
    }

    @Test
    void errorAcksCarryTheReasonAndTheControlId() throws Exception {
        String text = OruFixtures.oru(9).strip();
        String ack = codec.reject(text, codec.parse(text), Hl7Rejection.error(ca.uhn.hl7v2.ErrorCode.REQUIRED_FIELD_MISSING,
                "no accession number in OBR-3 of order 1"));
        assertThat(ack).contains("MSA|AE|" + OruFixtures.controlId(9) + "|no accession number in OBR-3 of order 1");
        assertThat(codec.bareAck(AcknowledgmentCode.AR, "too large")).contains("MSA|AR||too large");
        // ACK control ids (MSH-10) differ from one ACK to the next and fit the field's 20 characters
        String first = codec.accept(codec.parse(text)).split("\r")[0].split("\\|")[9];
        String second = codec.accept(codec.parse(text)).split("\r")[0].split("\\|")[9];
        assertThat(first).isNotEqualTo(second).startsWith("V").hasSizeLessThanOrEqualTo(20);
    }
}
