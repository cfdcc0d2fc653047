package io.villa.producers.simulator;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.villa.deid.Pseudonyms;

/**
 * What a simulated run planted, for the checks after it: every made-up identifying value in every form it was
 * written in ({@value #PHI_FILE}: {@code kind<TAB>value}, one a line, for the PHI scan), and per study what was sent
 * ({@value #STUDIES_FILE}: JSON Lines, accession → instance → DocMNIST pair id, with the keyed pseudonyms the producers
 * will compute when a pseudonym key is given).
 *
 * <p>With a folder, both files are written as the run goes (each line flushed), so a run that is stopped or crashes
 * still lists everything it planted; without one, they are kept in memory (for tests). Thread-safe.
 */
public final class PlantedValues implements Closeable {

    public static final String PHI_FILE = "planted-phi.tsv";
    public static final String STUDIES_FILE = "expected-studies.jsonl";
    /** Values already listed, remembered to list each once; cleared beyond this (a repeat is harmless). */
    private static final int REMEMBERED = 100_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Set<String> listed = new LinkedHashSet<>();
    private final List<String> phi = new ArrayList<>();
    private final List<Map<String, Object>> studies = new ArrayList<>();
    private final Pseudonyms pseudonyms;
    private final BufferedWriter phiFile;
    private final BufferedWriter studiesFile;

    /**
     * @param dir        where to write the two files (created if needed); null to keep them in memory
     * @param pseudonyms the site's pseudonyms, to write the expected keys; null to leave them out
     */
    public PlantedValues(Path dir, Pseudonyms pseudonyms) throws IOException {
        this.pseudonyms = pseudonyms;
        if (dir != null) {
            Files.createDirectories(dir);
            phiFile = Files.newBufferedWriter(dir.resolve(PHI_FILE), StandardCharsets.UTF_8);
            studiesFile = Files.newBufferedWriter(dir.resolve(STUDIES_FILE), StandardCharsets.UTF_8);
        } else {
            phiFile = null;
            studiesFile = null;
        }
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
        flush(phiFile);
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
        if (studiesFile == null) {
            studies.add(row);
            return;
        }
        try {
            studiesFile.write(JSON.writeValueAsString(row));
            studiesFile.newLine();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a study as JSON", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + STUDIES_FILE + ": " + e.getMessage(), e);
        }
        flush(studiesFile);
    }

    private void add(String kind, String value) {
        if (value.indexOf('\t') >= 0 || value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a planted " + kind + " holds a tab or line break");
        }
        String line = kind + "\t" + value;
        if (listed.size() >= REMEMBERED) {
            listed.clear();
        }
        if (!listed.add(line)) {
            return;
        }
        if (phiFile == null) {
            phi.add(line);
            return;
        }
        try {
            phiFile.write(line);
            phiFile.newLine();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + PHI_FILE + ": " + e.getMessage(), e);
        }
    }

    private static void flush(BufferedWriter writer) {
        if (writer != null) {
            try {
                writer.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the planted values: " + e.getMessage(), e);
            }
        }
    }

    /** The planted values, {@code kind<TAB>value} (kept in memory only without a folder). */
    public synchronized List<String> phi() {
        return List.copyOf(phi);
    }

    /** The studies' outcomes (kept in memory only without a folder). */
    public synchronized List<Map<String, Object>> studies() {
        return List.copyOf(studies);
    }

    @Override
    public synchronized void close() throws IOException {
        if (phiFile != null) {
            phiFile.close();
            studiesFile.close();
        }
    }
}
