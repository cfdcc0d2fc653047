package io.villa.producers.simulator;

import java.util.Locale;

/**
 * The counts of a simulated run.
 *
 * @param studies           studies planned (DocMNIST images)
 * @param imagesStored      DICOM instances the PACS accepted
 * @param imagesFailed      instances not stored (DICOM creation failed or the PACS refused them after retries)
 * @param orphanImages      studies sent as an image without a report
 * @param orphanReports     studies sent as a report without an image
 * @param correctedStudies  studies with a FINAL then a CORRECTED report
 * @param hl7Messages       distinct HL7 messages to send (FINAL and CORRECTED reports)
 * @param hl7Sent           send attempts, resends included
 * @param hl7Acknowledged   messages acknowledged with AA
 * @param hl7Refused        error or reject ACKs (AE, AR) received
 * @param hl7Unanswered     attempts without an ACK (time-out, connection refused or broken)
 * @param hl7GivenUp        messages given up after the last attempt
 * @param imageSeconds      seconds from the first to the last image sent
 * @param hl7Seconds        seconds the HL7 sender spent sending (waiting for report delays not counted)
 * @param seconds           seconds of the whole run
 */
public record SimulationSummary(long studies, long imagesStored, long imagesFailed, long orphanImages, long orphanReports,
                                long correctedStudies, long hl7Messages, long hl7Sent, long hl7Acknowledged,
                                long hl7Refused, long hl7Unanswered, long hl7GivenUp, double imageSeconds,
                                double hl7Seconds, double seconds) {

    /** True when every image was stored and every HL7 message acknowledged. */
    public boolean complete() {
        return imagesFailed == 0 && hl7GivenUp == 0 && hl7Acknowledged == hl7Messages;
    }

    public double imagesPerSecond() {
        return imageSeconds > 0 ? imagesStored / imageSeconds : 0;
    }

    public double messagesPerSecond() {
        return hl7Seconds > 0 ? hl7Acknowledged / hl7Seconds : 0;
    }

    public String format() {
        return String.format(Locale.ROOT, """
                studies:            %d (orphan images %d, orphan reports %d, corrected %d)
                images to PACS:     %d stored, %d failed (%.1f instances/s)
                HL7 reports:        %d messages: %d sent (resends included), %d acknowledged AA, %d refused (AE/AR), \
                %d unanswered, %d given up (%.1f messages/s with ACK)
                time:               %.1f s
                """, studies, orphanImages, orphanReports, correctedStudies, imagesStored, imagesFailed,
                imagesPerSecond(), hl7Messages, hl7Sent, hl7Acknowledged, hl7Refused, hl7Unanswered, hl7GivenUp,
                messagesPerSecond(), seconds);
    }
}
