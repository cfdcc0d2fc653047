package io.villa.producers.simulator;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.villa.deid.Pseudonyms;

/**
 * What a simulated run planted, for the checks after it: every made-up identifying value in every form it was
 * written in ({@value #PHI_FILE}: {@code kind<TAB>value}, one a line, for the PHI scan), and per study what was sent
 * ({@value #STUDIES_FILE}: JSON Lines, accession → instance → DocMNIST pair id, with the keyed pseudonyms the producers
 * will compute when a pseudonym key is given). Thread-safe.
 */
public final class PlantedValues {

    public static final String PHI_FILE = "planted-phi.tsv";
    public static final String STUDIES_FILE = "expected-studies.jsonl";

    private final Set<String> phi = new LinkedHashSet<>();
    private final List<Map<String, Object>> studies = new ArrayList<>();
    private final Pseudonyms pseudonyms;

    /** @param pseudonyms the site's pseudonyms, to write the expected keys; null to leave them out */
    public PlantedValues(Pseudonyms pseudonyms) {
        this.pseudonyms = pseudonyms;
    }

    /** Records the values of a study as planned (whether or not sending it succeeds). */
    public synchronized void plant(SimulatedStudy study, List<String> reportHeaderLines) {
        FakePatient patient = study.patient();
        add("patient-name", patient.dicomName());
        add("patient-name", patient.displayName());
        add("family-name", patient.familyName());
        add("given-name", patient.givenName());
        add("mrn", patient.mrn());
        add("birth-date", patient.birthDateDa());
        add("birth-date", patient.birthDateIso());
        add("address", patient.address());
        add("street", patient.street());
        add("city", patient.city()); // HL7 PID-11 carries it apart; the postal code alone (5 digits) is left out:
                                     // a scan for it would hit any number in a log line
        add("phone", patient.phone());
        add("accession", study.accessionNumber());
        add("study-date", study.studyDateTime().toLocalDate().format(FakePatient.DA));
        if (study.kind().hasImage()) {
            add("study-uid", study.studyInstanceUid());
            add("series-uid", study.seriesInstanceUid());
            add("instance-uid", study.sopInstanceUid());
        }
        for (String line : reportHeaderLines) {
            add("report-header", line);
        }
    }

    /** Records what became of a study. */
    public synchronized void outcome(SimulatedStudy study, boolean imageStored, List<String> acknowledgedControlIds) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("pairId", study.pairId());
        row.put("split", study.sample().split().name());
        row.put("kind", study.kind().name());
        row.put("accessionNumber", study.accessionNumber());
        row.put("studyInstanceUid", study.kind().hasImage() ? study.studyInstanceUid() : null);
        row.put("sopInstanceUid", study.kind().hasImage() ? study.sopInstanceUid() : null);
        row.put("viewPosition", study.viewPosition());
        row.put("corrected", study.corrected());
        List<String> controlIds = new ArrayList<>();
        if (study.kind().hasReport()) {
            controlIds.add(study.finalControlId());
            if (study.corrected()) {
                controlIds.add(study.correctedControlId());
            }
        }
        row.put("messageControlIds", controlIds);
        row.put("imageStored", imageStored);
        row.put("acknowledgedControlIds", acknowledgedControlIds);
        if (pseudonyms != null) {
            row.put("studyKey", pseudonyms.of("accession", study.accessionNumber().strip()));
            row.put("instanceKey", study.kind().hasImage() ? pseudonyms.of("instance", study.sopInstanceUid().strip()) : null);
            row.put("messageKeys", controlIds.stream().map(id -> pseudonyms.of("message", id.strip())).toList());
        }
        studies.add(row);
    }

    private void add(String kind, String value) {
        if (value.indexOf('\t') >= 0 || value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a planted " + kind + " holds a tab or line break");
        }
        phi.add(kind + "\t" + value);
    }

    /** The planted values, {@code kind<TAB>value}. */
    public synchronized List<String> phi() {
        return List.copyOf(phi);
    }

    public synchronized List<Map<String, Object>> studies() {
        return List.copyOf(studies);
    }

    /** Writes {@value #PHI_FILE} and {@value #STUDIES_FILE} into {@code dir} (created if needed). */
    public synchronized void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve(PHI_FILE), phi, StandardCharsets.UTF_8);
        ObjectMapper json = new ObjectMapper();
        try (BufferedWriter out = Files.newBufferedWriter(dir.resolve(STUDIES_FILE), StandardCharsets.UTF_8)) {
            for (Map<String, Object> row : studies) {
                out.write(json.writeValueAsString(row));
                out.newLine();
            }
        }
    }
}
