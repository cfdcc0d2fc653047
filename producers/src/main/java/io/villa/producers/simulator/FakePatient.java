package io.villa.producers.simulator;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * A made-up patient: every field is invented by {@link PatientFactory} and planted on purpose, so that a PHI scan can
 * look for each one downstream.
 *
 * @param mrn   the medical record number (HL7 PID-3, DICOM PatientID)
 * @param sex   {@code F} or {@code M}
 * @param phone written as {@code 555-NNN-NNNN} (fictional exchange)
 */
public record FakePatient(String familyName, String givenName, String mrn, LocalDate birthDate, String sex,
                          String street, String city, String postalCode, String phone) {

    /** DICOM and HL7 dates: yyyyMMdd. */
    public static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;

    public FakePatient {
        Objects.requireNonNull(familyName, "familyName");
        Objects.requireNonNull(givenName, "givenName");
        Objects.requireNonNull(mrn, "mrn");
        Objects.requireNonNull(birthDate, "birthDate");
        Objects.requireNonNull(sex, "sex");
        Objects.requireNonNull(street, "street");
        Objects.requireNonNull(city, "city");
        Objects.requireNonNull(postalCode, "postalCode");
        Objects.requireNonNull(phone, "phone");
    }

    /** DICOM PN: {@code Family^Given}. */
    public String dicomName() {
        return familyName + "^" + givenName;
    }

    /** As a person writes it in a report: {@code Given Family}. */
    public String displayName() {
        return givenName + " " + familyName;
    }

    /** yyyyMMdd, as DICOM PatientBirthDate and HL7 PID-7 carry it. */
    public String birthDateDa() {
        return birthDate.format(DA);
    }

    /** yyyy-MM-dd, as the report text carries it. */
    public String birthDateIso() {
        return birthDate.toString();
    }

    /** One line, at most 64 characters (DICOM PatientAddress is LO). */
    public String address() {
        return street + ", " + city + " " + postalCode;
    }
}
