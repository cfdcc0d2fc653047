package io.villa.producers.simulator;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.v251.datatype.CX;
import ca.uhn.hl7v2.model.v251.datatype.TX;
import ca.uhn.hl7v2.model.v251.datatype.XAD;
import ca.uhn.hl7v2.model.v251.datatype.XPN;
import ca.uhn.hl7v2.model.v251.group.ORU_R01_ORDER_OBSERVATION;
import ca.uhn.hl7v2.model.v251.message.ORU_R01;
import ca.uhn.hl7v2.model.v251.segment.MSH;
import ca.uhn.hl7v2.model.v251.segment.OBR;
import ca.uhn.hl7v2.model.v251.segment.OBX;
import ca.uhn.hl7v2.model.v251.segment.PID;

/**
 * Builds the ORU^R01 (HL7 v2.5.1, with the HAPI library) of a simulated study: PID with the made-up patient, OBR-3
 * (filler order number) = the accession number, OBR-25 the result status, one TX OBX per line of the report. The
 * report starts with a header line that plants the patient's name, MRN, birth date and phone number in the text (the
 * listener's scrubber must remove them); the DocMNIST sentences follow unchanged on their own line.
 */
public final class OruMessageFactory {

    public static final String SENDING_APPLICATION = "VILLA-SIM";
    public static final String SENDING_FACILITY = "SIMHOSP";
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private final boolean phiHeader;

    /** @param phiHeader put the header line with the patient's identifiers before the report text */
    public OruMessageFactory(boolean phiHeader) {
        this.phiHeader = phiHeader;
    }

    /** The FINAL report (status F). */
    public ORU_R01 finalReport(SimulatedStudy study) throws HL7Exception {
        return build(study, "F", study.finalControlId(), study.finalReportText(), study.studyDateTime().plusHours(2));
    }

    /** The CORRECTED report (status C), a new message (new MSH-10) for the same accession number. */
    public ORU_R01 correctedReport(SimulatedStudy study) throws HL7Exception {
        if (!study.corrected()) {
            throw new IllegalArgumentException("study " + study.pairId() + " has no corrected report");
        }
        return build(study, "C", study.correctedControlId(), study.correctedReportText(), study.studyDateTime().plusHours(5));
    }

    /** The report's lines as OBX-5 carries them: the header (when planted), then the report's own lines. */
    public List<String> lines(SimulatedStudy study, String reportText) {
        List<String> lines = new ArrayList<>(headerLines(study));
        lines.addAll(reportText.lines().toList());
        return lines;
    }

    /** The planted header line (none without the header). */
    public List<String> headerLines(SimulatedStudy study) {
        if (!phiHeader) {
            return List.of();
        }
        FakePatient patient = study.patient();
        return List.of("Patient: " + patient.displayName() + ", MRN: " + patient.mrn() + ", DOB: " + patient.birthDateIso()
                + ", Phone: " + patient.phone());
    }

    private ORU_R01 build(SimulatedStudy study, String status, String controlId, String reportText, LocalDateTime sentAt)
            throws HL7Exception {
        ORU_R01 message = new ORU_R01();
        // MSH by hand, not initQuickstart: that draws a control id from HAPI's generator, which writes a file
        // (id_file) into the working directory, and MSH-10 is ours anyway
        MSH msh = message.getMSH();
        msh.getFieldSeparator().setValue("|");
        msh.getEncodingCharacters().setValue("^~\\&");
        msh.getMessageType().getMessageCode().setValue("ORU");
        msh.getMessageType().getTriggerEvent().setValue("R01");
        msh.getMessageType().getMessageStructure().setValue("ORU_R01");
        msh.getProcessingID().getProcessingID().setValue("P");
        msh.getVersionID().getVersionID().setValue("2.5.1");
        msh.getSendingApplication().getNamespaceID().setValue(SENDING_APPLICATION);
        msh.getSendingFacility().getNamespaceID().setValue(SENDING_FACILITY);
        msh.getReceivingApplication().getNamespaceID().setValue("VILLA");
        msh.getDateTimeOfMessage().getTime().setValue(sentAt.format(TS));
        msh.getMessageControlID().setValue(controlId);

        FakePatient patient = study.patient();
        PID pid = message.getPATIENT_RESULT().getPATIENT().getPID();
        pid.getSetIDPID().setValue("1");
        CX mrn = pid.getPatientIdentifierList(0);
        mrn.getIDNumber().setValue(patient.mrn());
        mrn.getAssigningAuthority().getNamespaceID().setValue(SENDING_FACILITY);
        mrn.getIdentifierTypeCode().setValue("MR");
        XPN name = pid.getPatientName(0);
        name.getFamilyName().getSurname().setValue(patient.familyName());
        name.getGivenName().setValue(patient.givenName());
        pid.getDateTimeOfBirth().getTime().setValue(patient.birthDateDa());
        pid.getAdministrativeSex().setValue(patient.sex());
        XAD address = pid.getPatientAddress(0);
        address.getStreetAddress().getStreetOrMailingAddress().setValue(patient.street());
        address.getCity().setValue(patient.city());
        address.getZipOrPostalCode().setValue(patient.postalCode());
        pid.getPhoneNumberHome(0).getTelephoneNumber().setValue(patient.phone());

        ORU_R01_ORDER_OBSERVATION order = message.getPATIENT_RESULT().getORDER_OBSERVATION();
        OBR obr = order.getOBR();
        obr.getSetIDOBR().setValue("1");
        obr.getFillerOrderNumber().getEntityIdentifier().setValue(study.accessionNumber());
        obr.getUniversalServiceIdentifier().getIdentifier().setValue("DOCMNIST");
        obr.getUniversalServiceIdentifier().getText().setValue("DocMNIST image " + study.viewPosition());
        obr.getObservationDateTime().getTime().setValue(study.studyDateTime().format(TS));
        obr.getResultStatus().setValue(status);

        List<String> lines = lines(study, reportText);
        for (int i = 0; i < lines.size(); i++) {
            OBX obx = order.getOBSERVATION(i).getOBX();
            obx.getSetIDOBX().setValue(Integer.toString(i + 1));
            obx.getValueType().setValue("TX");
            obx.getObservationIdentifier().getIdentifier().setValue("REPORT");
            obx.getObservationIdentifier().getText().setValue("Report text");
            TX text = new TX(message);
            text.setValue(lines.get(i));
            obx.getObservationValue(0).setData(text);
            obx.getObservationResultStatus().setValue(status);
        }
        return message;
    }
}
