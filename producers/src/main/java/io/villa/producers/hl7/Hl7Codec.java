package io.villa.producers.hl7;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.v251.message.ACK;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.util.idgenerator.IDGenerator;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;

/**
 * HAPI set up for the listener: every version's ORU^R01 is parsed into the v2.5.1 structures, without HAPI's field
 * validation (its messages quote the values, which may be PHI; the listener checks what it needs itself), and ACKs
 * are built by HAPI from the incoming header. Parsing is thread-safe; one codec serves all connections.
 */
public final class Hl7Codec {

    /** MSA-3 is an 80-character field. */
    private static final int MAX_TEXT_MESSAGE = 80;

    private final HapiContext context;
    private final PipeParser parser;

    public Hl7Codec() {
        context = new DefaultHapiContext();
        context.setModelClassFactory(new CanonicalModelClassFactory("2.5.1"));
        context.setValidationContext(ValidationContextFactory.noValidation());
        context.getParserConfiguration().setAllowUnknownVersions(true);
        // HAPI's default id generator keeps a counter in a file in the working directory, and its in-memory one
        // starts at 0 in every process: ACK control ids are this process's start time and a counter instead
        context.getParserConfiguration().setIdGenerator(new AckIds());
        parser = context.getPipeParser();
    }

    /** The message, or a rejection naming the HL7 error code and where (never the value that failed). */
    public Message parse(String text) throws Hl7Rejection {
        if (!text.startsWith("MSH")) {
            throw Hl7Rejection.reject(ErrorCode.SEGMENT_SEQUENCE_ERROR, "not an HL7 v2 message in ER7 (|) encoding: no MSH first");
        }
        try {
            return parser.parse(text);
        } catch (HL7Exception | RuntimeException e) {
            throw Hl7Rejection.reject(ErrorCode.SEGMENT_SEQUENCE_ERROR, "cannot parse the message" + where(e));
        }
    }

    private static String where(Exception e) {
        if (e instanceof HL7Exception hl7 && hl7.getLocation() != null && !hl7.getLocation().isUnknown()) {
            return " (error " + hl7.getErrorCode() + " at " + hl7.getLocation() + ")";
        }
        return " (" + e.getClass().getSimpleName() + ")";
    }

    /** The MSH of a message that does not parse, where HAPI can still read it; else null. */
    public Segment header(String text) {
        try {
            return parser.getCriticalResponseData(text);
        } catch (HL7Exception | RuntimeException e) {
            return null;
        }
    }

    /** The ACK (AA) of a message taken. */
    public String accept(Message message) throws HL7Exception {
        try {
            return parser.encode(message.generateACK());
        } catch (java.io.IOException e) {
            throw new HL7Exception("cannot build the ACK", e);
        }
    }

    /**
     * The error ACK of a rejected message, from its header where it can be read (so MSA-2 names the message), else a
     * bare one. MSA-3 and ERR carry the rejection's reason, which holds no field values.
     */
    public String reject(String text, Message parsed, Hl7Rejection rejection) {
        HL7Exception reason = new HL7Exception(rejection.getMessage(), rejection.errorCode());
        try {
            Message in = parsed;
            if (in == null) {
                Segment msh = parser.getCriticalResponseData(text);
                in = msh.getMessage();
            }
            Message ack = in.generateACK(rejection.ack(), reason);
            Terser.set((Segment) ack.get("MSA"), 3, 0, 1, 1, shorten(rejection.getMessage()));
            return parser.encode(ack);
        } catch (HL7Exception | java.io.IOException | RuntimeException e) {
            return bareAck(rejection.ack(), rejection.getMessage());
        }
    }

    /** An ACK for a message whose header cannot be read at all: MSA-2 stays empty. */
    public String bareAck(AcknowledgmentCode code, String reason) {
        try {
            ACK ack = new ACK();
            ack.setParser(parser);
            ack.initQuickstart("ACK", null, "P");
            ack.getMSA().getAcknowledgmentCode().setValue(code.name());
            ack.getMSA().getTextMessage().setValue(shorten(reason));
            return parser.encode(ack);
        } catch (HL7Exception | java.io.IOException e) {
            // cannot happen for a message built here; still, answer something well-formed
            return "MSH|^~\\&|||||||ACK|1|P|2.5.1\rMSA|" + code.name() + "|\r";
        }
    }

    /** MSH-10 of our ACKs: "V", the process's start in base 36, "-", a counter; unique across restarts, under 20 chars. */
    static final class AckIds implements IDGenerator {
        private final String prefix = "V" + Long.toString(System.currentTimeMillis(), 36).toUpperCase(java.util.Locale.ROOT) + "-";
        private final java.util.concurrent.atomic.AtomicLong next = new java.util.concurrent.atomic.AtomicLong(1);

        @Override
        public String getID() {
            return prefix + next.getAndIncrement();
        }
    }

    private static String shorten(String reason) {
        return reason.length() <= MAX_TEXT_MESSAGE ? reason : reason.substring(0, MAX_TEXT_MESSAGE - 3) + "...";
    }
}
