package io.villa.cli.commands;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import io.villa.deid.PseudonymKeyOptions;
import io.villa.producers.simulator.Dcmtk;
import io.villa.producers.simulator.DicomStudyWriter;
import io.villa.producers.simulator.HospitalSimulator;
import io.villa.producers.simulator.MllpSender;
import io.villa.producers.simulator.SimulationSummary;
import io.villa.producers.simulator.StowRsClient;
import io.villa.producers.simulator.StudyPlanner;
import io.villa.records.Split;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** villa simulate hospital: a PACS and a RIS fed with DocMNIST, for running the hospital feed without a hospital. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Simulates the systems a real deployment reads from.",
        subcommands = SimulateCommand.Hospital.class)
public final class SimulateCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "hospital", mixinStandardHelpOptions = true,
            description = {"DocMNIST as a hospital: DICOM studies to a PACS, HL7 reports over MLLP.",
                    "Each image becomes a DICOM study (CR, RGB, a made-up patient, accession",
                    "number and UIDs, the ground truth in",
                    "ImageComments) stored in a PACS by DICOMweb STOW-RS; its report an HL7 v2",
                    "ORU^R01 (the same made-up patient, OBR-3 = accession number) sent over MLLP",
                    "--report-delay after the image and resent until acknowledged AA. Some",
                    "studies get a FINAL then a CORRECTED report, some are orphans.",
                    "Synthetic data only: every value is invented and listed in --out for the",
                    "PHI scan. --pacs-url needs DCMTK's img2dcm (Debian package dcmtk).",
                    "Exit code 0 when every image was stored and every message acknowledged,",
                    "3 otherwise."})
    static final class Hospital implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DocMnistOptions docmnist;

        @Option(names = "--split", split = ",", defaultValue = "VAL,TRAIN,TEST",
                description = "Splits to simulate, in order (default: ${DEFAULT-VALUE}; in --continuous mode the first never ends).")
        List<Split> splits;

        @Option(names = "--pacs-url", paramLabel = "URL",
                description = "DICOMweb root of the PACS, e.g. http://localhost:8042/dicom-web (none: no images sent).")
        String pacsUrl;

        @Option(names = "--pacs-authorization", paramLabel = "HEADER",
                description = "Value of the HTTP Authorization header for the PACS, e.g. 'Basic ...' (default: none).")
        String pacsAuthorization;

        @Option(names = "--hl7", paramLabel = "HOST:PORT",
                description = "The HL7 listener's MLLP address (none: no reports sent).")
        String hl7;

        @Option(names = "--rate", paramLabel = "STUDIES_PER_S", defaultValue = "0",
                description = "Most studies per second (default: ${DEFAULT-VALUE} = as fast as possible).")
        double rate;

        @Option(names = "--report-delay", paramLabel = "DURATION", defaultValue = "PT2S",
                description = "How long after its image a report is sent, and a correction after its FINAL report,"
                        + " as ISO-8601 (PT2S, PT1M) or seconds (default: ${DEFAULT-VALUE}).")
        String reportDelay;

        @Option(names = "--corrected-fraction", paramLabel = "F", defaultValue = "0.05",
                description = "Share of reported studies that get a FINAL then a CORRECTED report (default: ${DEFAULT-VALUE}).")
        double correctedFraction;

        @Option(names = "--orphan-fraction", paramLabel = "F", defaultValue = "0.02",
                description = "Share of studies that are orphans, half an image without report, half a report without"
                        + " image (default: ${DEFAULT-VALUE}).")
        double orphanFraction;

        @Option(names = "--no-phi-in-report",
                description = "Leave out the header line that plants the patient's name, MRN, birth date and phone"
                        + " number in the report text.")
        boolean noPhiInReport;

        @Option(names = "--hl7-attempts", paramLabel = "N", defaultValue = "8",
                description = "Sends of one HL7 message before giving up, with a doubling backoff (default: ${DEFAULT-VALUE}).")
        int hl7Attempts;

        @Option(names = "--ack-timeout", paramLabel = "SECONDS", defaultValue = "30",
                description = "How long to wait for an ACK before sending again (default: ${DEFAULT-VALUE}).")
        int ackTimeout;

        @Option(names = "--image-workers", paramLabel = "N", defaultValue = "2",
                description = "Images made (img2dcm) and stored at the same time (default: ${DEFAULT-VALUE}).")
        int imageWorkers;

        @Option(names = "--img2dcm", paramLabel = "PROGRAM", defaultValue = "img2dcm",
                description = "DCMTK's img2dcm (default: ${DEFAULT-VALUE}, from the PATH).")
        String img2dcm;

        @Option(names = "--out", paramLabel = "DIR",
                description = "Write the planted values (planted-phi.tsv: kind<TAB>value) and the expected studies"
                        + " (expected-studies.jsonl: accession, instance UID, DocMNIST pair id, what was sent) here.")
        Path out;

        @Option(names = "--keep-dicom", paramLabel = "DIR", description = "Keep the DICOM files here (default: deleted once sent).")
        Path keepDicom;

        @Option(names = "--with-pseudonyms",
                description = "Also write the keyed pseudonyms (studyKey, instanceKey, messageKeys) the producers will"
                        + " compute into expected-studies.jsonl; needs the pseudonym key.")
        boolean withPseudonyms;

        @Mixin
        PseudonymKeyOptions pseudonymKey;

        @Option(names = "--no-progress", description = "No progress lines on stderr.")
        boolean noProgress;

        @Override
        public Integer call() throws Exception {
            if (pacsUrl == null && hl7 == null && out == null) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "nothing to do: give --pacs-url, --hl7 and/or --out");
            }
            HospitalSimulator.Builder simulator = HospitalSimulator.builder()
                    .setGenerator(docmnist.generator())
                    .setPlanner(new StudyPlanner(docmnist.seed, correctedFraction, orphanFraction))
                    .optSplits(splits)
                    .optRate(rate)
                    .optImageWorkers(imageWorkers)
                    .optReportDelay(parseDuration(reportDelay))
                    .optPhiHeader(!noPhiInReport)
                    .optOut(out)
                    .optKeepDicom(keepDicom)
                    .optProgress(noProgress ? null : System.err);
            if (pacsUrl != null) {
                if (!Dcmtk.available(img2dcm)) {
                    throw new IllegalStateException(img2dcm + " cannot be run: install DCMTK (Debian package dcmtk)"
                            + " or give --img2dcm PROGRAM");
                }
                simulator.optPacs(new StowRsClient(pacsUrl, pacsAuthorization), new DicomStudyWriter(img2dcm));
            }
            if (withPseudonyms) {
                simulator.optPseudonyms(pseudonymKey.pseudonyms());
            }
            MllpSender sender = null;
            try {
                if (hl7 != null) {
                    sender = new MllpSender(host(hl7), port(hl7), hl7Attempts, Duration.ofMillis(250),
                            Duration.ofSeconds(ackTimeout));
                    simulator.optHl7(sender);
                }
                SimulationSummary summary = simulator.build().run();
                spec.commandLine().getOut().print(summary.format());
                if (out != null) {
                    spec.commandLine().getOut().println("planted values and expected studies: " + out);
                }
                spec.commandLine().getOut().flush();
                return summary.complete() ? 0 : ProduceCommand.SOME_FAILED;
            } finally {
                if (sender != null) {
                    sender.close();
                }
            }
        }

        private String host(String address) {
            int colon = address.lastIndexOf(':');
            if (colon <= 0) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--hl7 must be HOST:PORT, got " + address);
            }
            return address.substring(0, colon);
        }

        private int port(String address) {
            try {
                int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
                if (port < 1 || port > 65_535) {
                    throw new NumberFormatException();
                }
                return port;
            } catch (NumberFormatException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--hl7 must be HOST:PORT, got " + address);
            }
        }

        private Duration parseDuration(String text) {
            try {
                if (text.matches("\\d+(\\.\\d+)?")) {
                    return Duration.ofMillis(Math.round(Double.parseDouble(text) * 1000));
                }
                Duration duration = Duration.parse(text);
                if (duration.isNegative()) {
                    throw new IllegalArgumentException();
                }
                return duration;
            } catch (RuntimeException e) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--report-delay must be seconds or an ISO-8601 duration (PT2S), got " + text);
            }
        }
    }
}
