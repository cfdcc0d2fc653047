package io.villa.producers.hl7;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.ErrorCode;

/**
 * Why a message was not taken: the reason goes back to the sender in the error ACK and into the dead letter, so it
 * names fields and limits, never a field's value (which may be PHI).
 */
public final class Hl7Rejection extends Exception {

    private final AcknowledgmentCode ack;
    private final ErrorCode errorCode;

    private Hl7Rejection(AcknowledgmentCode ack, ErrorCode errorCode, String reason) {
        super(reason, null, false, false);
        this.ack = ack;
        this.errorCode = errorCode;
    }

    /** AR (application reject): the message itself cannot be taken (unparseable, wrong type, too large); do not resend. */
    public static Hl7Rejection reject(ErrorCode code, String reason) {
        return new Hl7Rejection(AcknowledgmentCode.AR, code, reason);
    }

    /** AE (application error): the message parsed but its content is unusable (no accession, no text, bad status). */
    public static Hl7Rejection error(ErrorCode code, String reason) {
        return new Hl7Rejection(AcknowledgmentCode.AE, code, reason);
    }

    public AcknowledgmentCode ack() {
        return ack;
    }

    public ErrorCode errorCode() {
        return errorCode;
    }
}
