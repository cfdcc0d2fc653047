package io.villa.producers.hl7;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Made-up ORU^R01 messages with planted PHI (every name, id, date and phone here is invented). */
final class OruFixtures {

    static final String FAMILY = "QUIXBY";
    static final String GIVEN = "Marguerite";
    static final String MIDDLE = "Ottoline";
    static final String MAIDEN = "Vandersloot";
    static final String ALIAS = "Pemberley";
    static final String KIN = "Thackerham";
    static final String STREET = "17 Larkspur Lane";
    static final String CITY = "Fernbrook";
    static final String PHONE = "(555) 201-7788";
    static final String BIRTH = "1962-03-14";

    private OruFixtures() {
    }

    static String mrn(int n) {
        return "MRN" + (7_700_000 + n);
    }

    static String accession(int n) {
        return "ACC" + (5_500_000 + n);
    }

    static String controlId(int n) {
        return "MSG" + (3_300_000 + n);
    }

    /** Every planted PHI string of message {@code n}: none may reach a topic or a log line. */
    static List<String> phi(int n) {
        return List.of(FAMILY, GIVEN, MIDDLE, MAIDEN, ALIAS, KIN, "Larkspur", CITY, "201-7788", "5552017788",
                BIRTH, "19620314", "03/14/1962", mrn(n), accession(n), controlId(n), "ORD" + (4_400_000 + n),
                "123-45-6789", "2031-05-06");
    }

    /** A final chest X-ray report with the patient's PHI in its header and its text. */
    static String oru(int n) {
        return oru(n, "F", accession(n), List.of(
                "Patient " + GIVEN + " " + FAMILY + " (born " + MAIDEN + ", also known as " + ALIAS + "), MRN " + mrn(n) + ".",
                "DOB 03/14/1962, seen 2031-05-06 14:32; contact " + KIN + " at " + PHONE + ", " + STREET + ", " + CITY + ".",
                "Accession " + accession(n) + ". SSN 123-45-6789.",
                "FINDINGS: 2.5 cm nodule in the right upper lobe. 3 mm granuloma. Compression deformity of T7.",
                "Disc space narrowing at L1-L2. No pneumothorax.",
                "IMPRESSION: nodule, follow-up CT in 3 months."));
    }

    static String oru(int n, String status, String accession, List<String> lines) {
        List<String> segments = new ArrayList<>();
        segments.add("MSH|^~\\&|RIS|GENERAL HOSPITAL|VILLA|RESEARCH|20310506143500||ORU^R01^ORU_R01|" + controlId(n) + "|P|2.5.1");
        segments.add("PID|1|PX" + n + "|" + mrn(n) + "^^^GH^MR~123-45-6789^^^SSA^SS||" + FAMILY + "^" + GIVEN + "^" + MIDDLE
                + "^^^^L|" + MAIDEN + "^Henriette|19620314|F|" + ALIAS + "^Margo||" + STREET + "^^" + CITY
                + "^CA^94301||" + PHONE + "^PRN^PH^^^555^2017788");
        segments.add("NK1|1|" + KIN + "^Reginald|SPO||(555) 201-7799");
        segments.add("PV1|1|O|XRAY||||||||||||||||V" + (8_800_000 + n));
        segments.add("ORC|RE|ORD" + (4_400_000 + n) + "|" + accession);
        segments.add(segment("OBR", 25, 1, "1", 2, "ORD" + (4_400_000 + n), 3, accession, 4, "71046^XR CHEST 2 VIEWS^CPT",
                7, "20310506140000", 22, "20310506143000-0700", 25, status));
        int index = 1;
        for (String line : lines) {
            segments.add(segment("OBX", 14, 1, String.valueOf(index++), 2, "TX", 3, "71046&IMP^Report", 5, line, 11, status,
                    14, "20310506142000"));
        }
        return String.join("\r", segments) + "\r";
    }

    /** A segment with the given fields (pairs of field number and value) and the rest empty. */
    static String segment(String name, int fields, Object... numberedValues) {
        String[] values = new String[fields + 1];
        Arrays.fill(values, "");
        values[0] = name;
        for (int i = 0; i < numberedValues.length; i += 2) {
            values[(Integer) numberedValues[i]] = (String) numberedValues[i + 1];
        }
        return String.join("|", values);
    }
}
