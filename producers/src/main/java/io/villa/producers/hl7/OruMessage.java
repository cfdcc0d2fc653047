package io.villa.producers.hl7;

import java.time.Instant;
import java.util.List;

import io.villa.records.ReportStatus;

/**
 * What the listener takes from one ORU^R01, as it came in (PHI: never logged, never written as is): its control id,
 * one report per accession number, and what the message knows about the patient, for the scrubber.
 *
 * @param controlId MSH-10
 * @param reports   one per accession number, in message order
 * @param names     the name parts (family, given, further given, suffix, prefix) of PID-5, PID-6, PID-9 and NK1-2
 * @param ids       the ids the message carries (patient ids, order and accession numbers, visit, MSH-10)
 * @param phones    the patient's and next of kin's phone numbers
 * @param addresses the patient's and next of kin's street, other designation, city and postal code
 */
public record OruMessage(String controlId, List<Order> reports, List<String> names, List<String> ids, List<String> phones,
                         List<String> addresses) {

    /**
     * One study's report.
     *
     * @param accession  the accession number (raw: pseudonymise before use)
     * @param text       the OBX-5 lines (TX, FT, ST), one per line, unscrubbed
     * @param status     OBR-25, else the first OBX-11
     * @param observedAt OBR-22, else the first OBX-14; null when absent or unreadable
     */
    public record Order(String accession, String text, ReportStatus status, Instant observedAt) {
    }
}
