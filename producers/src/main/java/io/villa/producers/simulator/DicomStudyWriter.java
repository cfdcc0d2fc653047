package io.villa.producers.simulator;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

/**
 * Writes a simulated study's image as a DICOM file with DCMTK's {@code img2dcm}: the DocMNIST pixels go in as a
 * lossless 24-bit BMP (so the DICOM keeps RGB, the same pixels as the direct DocMNIST path), the made-up patient, the
 * study's identifiers and the simulator truth as {@code -k} keys. No DICOM writing of our own.
 */
public final class DicomStudyWriter {

    static final String MODALITY = "CR";
    private static final DateTimeFormatter TM = DateTimeFormatter.ofPattern("HHmmss");

    private final String img2dcm;

    /** @param img2dcm the program, {@code img2dcm} to find it on the PATH */
    public DicomStudyWriter(String img2dcm) {
        this.img2dcm = img2dcm;
    }

    /** Writes {@code study}'s image, {@code pixels}, to {@code dicomFile} (a BMP is written beside it, then removed). */
    public void write(SimulatedStudy study, BufferedImage pixels, Path dicomFile) throws IOException {
        Path bmp = dicomFile.resolveSibling(dicomFile.getFileName() + ".bmp");
        try {
            writeBmp(pixels, bmp);
            List<String> command = new ArrayList<>(List.of(img2dcm, "-q", "-i", "BMP", bmp.toString(), dicomFile.toString()));
            for (String key : keys(study)) {
                command.add("-k");
                command.add(key);
            }
            Dcmtk.run(command);
        } finally {
            Files.deleteIfExists(bmp);
        }
    }

    /** 24-bit RGB BMP: lossless, and what img2dcm reads besides JPEG. */
    static void writeBmp(BufferedImage pixels, Path bmp) throws IOException {
        BufferedImage rgb = pixels;
        if (pixels.getType() != BufferedImage.TYPE_3BYTE_BGR) {
            rgb = new BufferedImage(pixels.getWidth(), pixels.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
            rgb.getGraphics().drawImage(pixels, 0, 0, null);
        }
        if (!ImageIO.write(rgb, "bmp", bmp.toFile())) {
            throw new IOException("no BMP writer in this JVM");
        }
    }

    /** The attributes img2dcm adds, as {@code Name=value}. */
    static List<String> keys(SimulatedStudy study) {
        FakePatient patient = study.patient();
        List<String> keys = new ArrayList<>();
        keys.add("Modality=" + MODALITY);
        keys.add("PatientName=" + patient.dicomName());
        keys.add("PatientID=" + patient.mrn());
        keys.add("IssuerOfPatientID=SIMHOSP");
        keys.add("PatientBirthDate=" + patient.birthDateDa());
        keys.add("PatientSex=" + patient.sex());
        keys.add("PatientAddress=" + patient.address());
        keys.add("PatientTelephoneNumbers=" + patient.phone());
        keys.add("AccessionNumber=" + study.accessionNumber());
        keys.add("StudyInstanceUID=" + study.studyInstanceUid());
        keys.add("SeriesInstanceUID=" + study.seriesInstanceUid());
        keys.add("SOPInstanceUID=" + study.sopInstanceUid());
        keys.add("StudyDate=" + study.studyDateTime().toLocalDate().format(FakePatient.DA));
        keys.add("StudyTime=" + study.studyDateTime().format(TM));
        keys.add("SeriesDate=" + study.studyDateTime().toLocalDate().format(FakePatient.DA));
        keys.add("StudyID=1");
        keys.add("SeriesNumber=1");
        keys.add("InstanceNumber=1");
        keys.add("StudyDescription=DocMNIST (simulated)");
        keys.add("SeriesDescription=DocMNIST " + study.viewPosition());
        keys.add("BodyPartExamined=CHEST");
        keys.add("ViewPosition=" + study.viewPosition());
        keys.add("BurnedInAnnotation=NO");
        keys.add("ImageComments=" + SimulatorTruth.comment(study.sample()));
        return keys;
    }
}
