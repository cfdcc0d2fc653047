package io.villa.producers.simulator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import io.villa.producers.dicomweb.OrthancProcess;
import io.villa.producers.docmnist.DocMnistConfig;
import io.villa.producers.docmnist.DocMnistGenerator;
import io.villa.producers.mnist.MnistDigits;
import io.villa.records.Split;

/**
 * How fast the hospital simulator feeds a real Orthanc (DICOM creation with img2dcm + STOW-RS, one study at a time) and
 * a real MLLP server (HAPI's, ORU^R01 with ACK, one message at a time), each alone, then both together. Arguments:
 * [train attribute budget = 2000] [complexity = 8]. See producers/simulate-bench.sh.
 */
public final class HospitalSimulatorBench {

    public static void main(String[] args) throws Exception {
        long budget = args.length > 0 ? Long.parseLong(args[0]) : 2000;
        int complexity = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        DocMnistGenerator generator = new DocMnistGenerator(
                MnistDigits.fromDefaultCache(),
                DocMnistConfig.builder()
                        .optTargetComplexity(complexity)
                        .optBudgets(budget, 0, 0)
                        .build());
        StudyPlanner planner = new StudyPlanner(42, 0, 0);
        Path dir = Files.createTempDirectory("villa-sim-bench-");
        System.out.printf(
                Locale.ROOT,
                "DocMNIST complexity %d, train budget %d, %d cores%n",
                complexity,
                budget,
                Runtime.getRuntime().availableProcessors());
        try (OrthancProcess orthanc = OrthancProcess.start(Files.createDirectories(dir.resolve("orthanc")), false);
                Hl7TestListener listener = new Hl7TestListener(0)) {
            for (String mode : List.of("pacs", "hl7", "both")) {
                try (MllpSender sender = new MllpSender(
                        "127.0.0.1", listener.port(), 3, Duration.ofMillis(100), Duration.ofSeconds(30))) {
                    HospitalSimulator.Builder simulator = HospitalSimulator.builder()
                            .setGenerator(generator)
                            .setPlanner(planner)
                            .optSplits(List.of(Split.TRAIN));
                    if (!mode.equals("hl7")) {
                        simulator.optPacs(
                                new StowRsClient(orthanc.dicomWebUrl(), null), new DicomStudyWriter("img2dcm"));
                    }
                    if (!mode.equals("pacs")) {
                        simulator.optHl7(sender);
                    }
                    SimulationSummary summary = simulator.build().run();
                    System.out.printf(
                            Locale.ROOT,
                            "%s: %d studies in %.1f s: %.1f instances/s to Orthanc, %.1f ORU^R01/s with ACK%n",
                            mode,
                            summary.studies(),
                            summary.seconds(),
                            summary.imagesPerSecond(),
                            summary.messagesPerSecond());
                }
            }
        }
    }
}
