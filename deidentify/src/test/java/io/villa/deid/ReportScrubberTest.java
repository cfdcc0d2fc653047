package io.villa.deid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.villa.deid.ReportScrubber.Kind;

/** The scrubber on made-up reports with planted PHI: every planted piece goes, the clinical text stays. */
class ReportScrubberTest {

    private final ReportScrubber scrubber = ReportScrubber.builder()
            .optNames(List.of("Quixby", "Marguerite Anne", "Delacroix-Whitfield", "O'Shaughnessy", "Ng"))
            .optIds(List.of("MRN448812", "ACC-2031-77", "MSG-0091", "4482-9917"))
            .optAddresses(List.of("17 Larkspur Lane", "Fernbrook"))
            .build();

    @Test
    void removesPlantedNamesIdsDatesPhonesAndRecordNumbers() {
        String report = """
                Patient: QUIXBY, Marguerite Anne (mother: Delacroix-Whitfield; contact Mr O'Shaughnessy, Dr Ng).
                MRN448812, accession ACC-2031-77, message MSG-0091, order 4482-9917.
                Lives at 17 Larkspur Lane, Fernbrook. Call (555) 201-7788 or 555.201.7789, +44 20 7946 0958, ext 201-7790.
                DOB 03/14/1962. Exam 2031-05-06 14:32. Prior study 5 March 2030; also March 5th, 2029 at 2:30 pm,
                Tuesday, Jan. 7 2031, 20300101, 7.4.29, Dec 2028, 12th of June.
                MRN: 99812345. Acct # A77812. Visit no. 55-1234. SSN 123-45-6789. Hospital ID 9981234.
                Ref 12345678 and AB1234567. Study UID 1.2.840.113619.2.55.3.604688119. Email m.quixby@example.org.
                FINDINGS: 2.5 cm nodule in the right upper lobe; 3 mm calcified granuloma. Compression fracture of T7.
                Disc bulge at L1-L2 and C5-6. Heart size 1.2 x 3.4 cm. Grade 2 may represent atelectasis.
                Compared with 5/10 prior views; dilution 1:10; 4 of 12 nodes. Ejection fraction 55%. HU 120.
                """;
        ReportScrubber.Scrubbed scrubbed = scrubber.scrub(report);
        String text = scrubbed.text();

        for (String phi : List.of("Quixby", "QUIXBY", "Marguerite", "Anne", "Delacroix", "Whitfield", "Shaughnessy", "Ng)",
                "MRN448812", "ACC-2031-77", "MSG-0091", "4482-9917", "Larkspur", "Fernbrook",
                "201-7788", "201.7789", "7946", "201-7790", "03/14/1962", "1962", "2031-05-06", "14:32", "5 March", "2030",
                "March 5th", "2029", "2:30", "Jan. 7", "Tuesday", "20300101", "7.4.29", "Dec 2028", "12th of June",
                "99812345", "A77812", "55-1234", "123-45-6789", "9981234", "12345678", "AB1234567",
                "1.2.840", "113619", "quixby@", "example.org")) {
            assertThat(text).as(phi).doesNotContainIgnoringCase(phi);
        }
        for (String clinical : List.of("2.5 cm nodule", "3 mm calcified", "fracture of T7", "L1-L2", "C5-6", "1.2 x 3.4 cm",
                "Grade 2 may represent", "5/10 prior", "1:10", "4 of 12 nodes", "55%", "HU 120", "FINDINGS:", "right upper lobe")) {
            assertThat(text).as(clinical).contains(clinical);
        }
        assertThat(text).contains("Patient: [NAME], [NAME] (mother: [NAME]", "MRN: [ID]", "Acct # [ID]", "DOB [DATE]",
                "Exam [DATE].", "Call [PHONE] or [PHONE]", "at [ADDRESS], [ADDRESS].", "Email [EMAIL].", "Study UID [ID].");
        assertThat(scrubbed.removed()).containsKeys(Kind.NAME, Kind.ID, Kind.DATE, Kind.PHONE, Kind.ADDRESS, Kind.EMAIL);
        assertThat(scrubbed.removed().get(Kind.NAME)).isGreaterThanOrEqualTo(5);
    }

    @Test
    void clinicalTextWithoutPhiIsUnchanged() {
        String clinical = "IMPRESSION: 1. No acute cardiopulmonary process. 2. Stable 4 mm nodule (series 3, image 42).\n"
                + "Mild degenerative change T11-T12, L4-5. Tip of the catheter 2 cm above the carina. 10 x 12 x 15 mm cyst.\n"
                + "BP 120/80. Dose 2.5 mg. Follow-up in 6-12 months. Grade 3/4. may be artifact. MAY 2 be noted";
        ReportScrubber.Scrubbed scrubbed = ReportScrubber.patternsOnly().scrub(clinical);
        assertThat(scrubbed.text()).isEqualTo(clinical);
        assertThat(scrubbed.total()).isZero();
    }

    @Test
    void namesAreWholeWordsOnlyAndShortValuesAreIgnored() {
        ReportScrubber names = ReportScrubber.builder().optNames(List.of("Lee", "J", " ")).optIds(List.of("12", "")).build();
        assertThat(names.scrub("Mr Lee; sleep study; J wave; 12 mm; LEE.").text())
                .isEqualTo("Mr [NAME]; sleep study; J wave; 12 mm; [NAME].");
    }

    @Test
    void tooManyKnownValuesAreRefusedWithTheField() {
        List<String> many = new ArrayList<>();
        for (int i = 0; i <= ReportScrubber.MAX_KNOWN_VALUES; i++) {
            many.add("id" + (100_000 + i));
        }
        assertThatThrownBy(() -> ReportScrubber.builder().optIds(many)).hasMessageContaining("ids");
    }

    @Test
    void hostileTextIsScrubbedQuickly() {
        String hostile = String.join("", Collections.nCopies(50_000, "1.2-3/4 ")) + String.join("", Collections.nCopies(50_000, "9"));
        long start = System.nanoTime();
        ReportScrubber.patternsOnly().scrub(hostile);
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
    }
}
