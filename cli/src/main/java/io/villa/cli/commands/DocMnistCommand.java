package io.villa.cli.commands;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.villa.producers.docmnist.ContactSheet;
import io.villa.producers.docmnist.DocMnistGenerator;
import io.villa.producers.docmnist.DocMnistStats;
import io.villa.producers.docmnist.PngEncoder;
import io.villa.records.ImageReportPair;
import io.villa.records.Split;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** villa docmnist stats|show: look at the synthetic data without Kafka. */
@Command(name = "docmnist", mixinStandardHelpOptions = true, description = "Inspects DocMNIST without Kafka.",
        subcommands = {DocMnistCommand.Stats.class, DocMnistCommand.Show.class})
public final class DocMnistCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "stats", mixinStandardHelpOptions = true,
            description = "Prints the number of images, the average sample complexity and the attribute histogram per split, "
                    + "next to what the reference generator's rules give in expectation.")
    static final class Stats implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        DocMnistOptions docmnist;

        @Option(names = "--split", split = ",", defaultValue = "TRAIN,VAL,TEST",
                description = "Splits to count (default: ${DEFAULT-VALUE}).")
        List<Split> splits;

        @Option(names = "--limit", paramLabel = "IMAGES", defaultValue = "100000",
                description = "Most images per split, for continuous mode (default: ${DEFAULT-VALUE}).")
        long limit;

        @Override
        public Integer call() {
            DocMnistGenerator generator = docmnist.generator();
            PrintWriter out = spec.commandLine().getOut();
            out.printf("DocMNIST seed %d, target complexity %d%s%n", generator.config().seed(),
                    generator.config().targetComplexity(), generator.config().continuous() ? ", continuous" : "");
            for (Split split : splits) {
                DocMnistStats stats = DocMnistStats.of(generator.samples(split), limit);
                out.printf("%n== %s (budget %d pairs)%n", split, generator.config().budget(split));
                long budget = generator.config().continuous() ? -1 : generator.config().budget(split);
                out.print(stats.format(generator.expectation(split), budget));
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Writes a PNG contact sheet: images enlarged with their region boxes, ground-truth attributes and report.")
    static final class Show implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        DocMnistOptions docmnist;

        @Option(names = "--split", defaultValue = "TRAIN", description = "Split to show (default: ${DEFAULT-VALUE}).")
        Split split;

        @Option(names = "--count", defaultValue = "8", description = "Images on the sheet (default: ${DEFAULT-VALUE}).")
        int count;

        @Option(names = "--start", defaultValue = "0", description = "Index of the first image (default: ${DEFAULT-VALUE}).")
        long start;

        @Option(names = "--columns", defaultValue = "4", description = "Images per row (default: ${DEFAULT-VALUE}).")
        int columns;

        @Option(names = {"-o", "--out"}, defaultValue = "docmnist-sheet.png", description = "Output PNG (default: ${DEFAULT-VALUE}).")
        Path out;

        @Override
        public Integer call() throws IOException {
            DocMnistGenerator generator = docmnist.generator();
            List<ImageReportPair> records = new ArrayList<>();
            for (long i = start; i < start + count; i++) {
                records.add(generator.record(generator.sample(split, i)));
            }
            BufferedImage sheet = ContactSheet.draw(records, Math.max(1, columns));
            if (out.toAbsolutePath().getParent() != null) {
                Files.createDirectories(out.toAbsolutePath().getParent());
            }
            Files.write(out, PngEncoder.encode(sheet));
            spec.commandLine().getOut().printf("wrote %d images (%s %d..%d) to %s%n", records.size(), split, start,
                    start + count - 1, out.toAbsolutePath());
            return 0;
        }
    }
}
