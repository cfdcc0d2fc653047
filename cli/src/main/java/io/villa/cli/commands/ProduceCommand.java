package io.villa.cli.commands;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;

import io.villa.kafka.KafkaOptions;
import io.villa.producers.docmnist.DocMnistGenerator;
import io.villa.producers.ingest.FolderFeed;
import io.villa.producers.ingest.IngestConverter;
import io.villa.producers.ingest.IngestItem;
import io.villa.producers.ingest.ManifestFeed;
import io.villa.producers.kafka.Attempt;
import io.villa.producers.kafka.Attempts;
import io.villa.producers.kafka.PairProducer;
import io.villa.producers.kafka.ProduceSummary;
import io.villa.records.Split;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * villa produce docmnist|folder|manifest: image-report pairs to the pairs topic; dicomweb: study images from a PACS;
 * hl7: a report listener.
 */
@Command(
        name = "produce",
        mixinStandardHelpOptions = true,
        description = {
            "Sends image-report pairs to the pairs topic (key = pair id, idempotent producer).",
            "Inputs that cannot be read go to the dead-letter topic with the reason; the rest goes on.",
            "Exit code 0 when everything was sent, 3 when some inputs failed.",
            "A hospital feed instead: villa produce dicomweb follows a PACS, "
                    + "villa produce hl7 listens for the RIS's reports (see their --help)."
        },
        subcommands = {
            ProduceCommand.DocMnist.class,
            ProduceCommand.Folder.class,
            ProduceCommand.Manifest.class,
            ProduceDicomWebCommand.class,
            ProduceHl7Command.class
        })
public final class ProduceCommand implements Runnable {

    /** Exit code when the run finished but some inputs were dead-lettered. */
    static final int SOME_FAILED = 3;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Options every produce command shares. */
    static class RunOptions {
        @Option(
                names = "--rate",
                paramLabel = "RECORDS_PER_S",
                defaultValue = "0",
                description = "Most records per second (default: 0 = as fast as possible).")
        double rate;

        @Option(names = "--no-progress", description = "No progress bar (e.g. in logs).")
        boolean noProgress;

        @Option(
                names = "--list-failures",
                paramLabel = "N",
                defaultValue = "20",
                description = "How many failed inputs the summary names (default: ${DEFAULT-VALUE}).")
        int listFailures;
    }

    static int produce(
            CommandSpec spec,
            KafkaOptions kafka,
            RunOptions run,
            String stage,
            String task,
            Iterator<Attempt> attempts,
            long expected) {
        ProduceSummary summary;
        try (PairProducer producer = new PairProducer(
                kafka.settings(),
                kafka.topics().imageReportPairs(),
                kafka.topics().deadLetters(),
                stage)) {
            summary = producer.run(attempts, new PairProducer.RunOptions(task, run.rate, expected, !run.noProgress));
        }
        spec.commandLine().getOut().printf("%s -> %s%n", task, kafka.topics().imageReportPairs());
        spec.commandLine().getOut().print(summary.format(run.listFailures));
        spec.commandLine().getOut().flush();
        return summary.failed() == 0 ? 0 : SOME_FAILED;
    }

    @Command(
            name = "docmnist",
            mixinStandardHelpOptions = true,
            description = {
                "Streams DocMNIST: train, val and test splits to the pairs topic, marked by split",
                "(PNG images, grid boxes as region proposals, ground truth attached)."
            })
    static final class DocMnist implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        KafkaOptions kafka;

        @Mixin
        DocMnistOptions docmnist;

        @Mixin
        RunOptions run;

        @Option(
                names = "--split",
                split = ",",
                defaultValue = "TRAIN,VAL,TEST",
                description =
                        "Splits to send, in order (default: ${DEFAULT-VALUE}; in --continuous mode the first never ends).")
        List<Split> splits;

        @Override
        public Integer call() {
            DocMnistGenerator generator = docmnist.generator();
            long expected = Attempts.docMnistCount(generator, splits);
            return produce(
                    spec, kafka, run, "produce.docmnist", "docmnist", Attempts.docMnist(generator, splits), expected);
        }
    }

    /** Options of the real-feed ingest commands. */
    static class IngestOptions {
        @Option(
                names = "--source",
                paramLabel = "NAME",
                description = "Feed name written into each record (default: the folder or manifest name).")
        String source;

        @Option(
                names = "--split",
                defaultValue = "TRAIN",
                description = "Split of inputs that do not name one (default: ${DEFAULT-VALUE}).")
        Split split;

        @Option(
                names = "--max-side",
                paramLabel = "PIXELS",
                defaultValue = "1024",
                description = "Downscale images whose longest side is larger (default: ${DEFAULT-VALUE}; 0 = never).")
        int maxSide;

        IngestConverter converter(String defaultSource) {
            return new IngestConverter(source != null ? source : defaultSource, split, maxSide, Clock.systemUTC());
        }
    }

    /** What the folder and manifest commands share: list the inputs, convert each, send them. */
    abstract static class IngestCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        KafkaOptions kafka;

        @Mixin
        IngestOptions ingest;

        @Mixin
        RunOptions run;

        /**
         * A feed the command reads: its kind ("folder", "manifest"), its file or folder, the feed name records get
         * unless --source names one, and its inputs, listed and checked before anything is sent.
         */
        record Feed(String kind, Path path, String defaultSource, List<IngestItem> items) {}

        abstract Feed feed();

        @Override
        public Integer call() {
            Feed feed = feed();
            IngestConverter converter = ingest.converter(feed.defaultSource());
            return produce(
                    spec,
                    kafka,
                    run,
                    "produce." + feed.kind(),
                    feed.kind() + " " + feed.path().getFileName(),
                    Attempts.ingest(feed.items(), converter),
                    feed.items().size());
        }
    }

    @Command(
            name = "folder",
            mixinStandardHelpOptions = true,
            description = {
                "Sends every image (.png, .jpg, .jpeg; 8/16-bit grey or RGB) of a folder with the report of",
                "the same name (.txt). Pair ids are derived from the feed, the relative path and the content."
            })
    static final class Folder extends IngestCommand {
        @Parameters(paramLabel = "DIR", description = "The folder (searched recursively).")
        Path dir;

        @Override
        Feed feed() {
            return new Feed("folder", dir, sourceName(dir), FolderFeed.list(dir));
        }
    }

    @Command(
            name = "manifest",
            mixinStandardHelpOptions = true,
            description = {
                "Sends the inputs a manifest lists: JSON Lines (.jsonl) or CSV with a header (.csv).",
                "Fields: image (path relative to the manifest), report (text) or report_path,",
                "optional boxes ([[x,y,w,h],...]; in CSV \"x y w h;...\"), split (train|val|test), id."
            })
    static final class Manifest extends IngestCommand {
        @Parameters(paramLabel = "FILE", description = "The manifest.")
        Path file;

        @Override
        Feed feed() {
            String name = file.getFileName().toString();
            String stem = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
            return new Feed("manifest", file, sourceName(Path.of(stem)), ManifestFeed.list(file));
        }
    }

    private static String sourceName(Path path) {
        Path name = path.toAbsolutePath().normalize().getFileName();
        return name == null ? "feed" : name.toString();
    }
}
