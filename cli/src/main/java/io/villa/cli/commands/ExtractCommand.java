package io.villa.cli.commands;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.villa.language.Finding;
import io.villa.language.FindingExtractor;
import io.villa.language.ReportFindings;
import io.villa.language.ReportSentence;
import io.villa.language.Triggers;
import io.villa.language.UncertainPolicy;
import io.villa.language.Vocabulary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * villa extract: what the decomposition job reads in report text, for a site to check its vocabulary and triggers on
 * its own reports. Report text goes to standard output only; errors name the report by its number, never its text.
 */
@Command(
        name = "extract",
        mixinStandardHelpOptions = true,
        description = {
            "Reads report text on standard input, one report per line (or the whole input as one report with --whole), "
                    + "and prints one JSON object per report: {\"findings\": [{\"attribute\": ID, \"polarity\": "
                    + "\"positive\"|\"negated\"|\"uncertain\", \"sentence\": N}, ...], \"attributes\": [ID, ...]}.",
            "sentence: the 0-based index of the sentence (section headers removed; --sentences prints them); findings: every "
                    + "mention in a counted section (FINDINGS, IMPRESSION, or a report without headers); attributes: those the "
                    + "decomposition job would take as present with the same --uncertain.",
            "A report over --max-chars prints {\"error\": ...} in its place and the rest go on.",
            "Exit code 0, or 3 when some reports were over the limit."
        })
public final class ExtractCommand implements Callable<Integer> {

    /** Exit code when some reports were rejected. */
    static final int SOME_FAILED = 3;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--vocabulary",
            paramLabel = "NAME|FILE",
            defaultValue = Vocabulary.DOCMNIST,
            description =
                    "docmnist, chest-xray or a vocabulary file, as for villa decompose (default: ${DEFAULT-VALUE}).")
    String vocabulary;

    @Option(
            names = "--triggers",
            paramLabel = "FILE",
            description =
                    "Negation and uncertainty triggers, terminations and section names replacing the shipped list "
                            + "(default: the shipped list).")
    Path triggers;

    @Option(
            names = "--uncertain",
            paramLabel = "positive|ignore",
            defaultValue = "ignore",
            converter = io.villa.flink.DecomposeOptions.UncertainPolicyConverter.class,
            description =
                    "Whether uncertain mentions make an attribute present in \"attributes\" (default: ${DEFAULT-VALUE}).")
    UncertainPolicy uncertain;

    @Option(
            names = "--whole",
            description = "The whole input is one report (line breaks and all), not one report per line.")
    boolean whole;

    @Option(
            names = "--sentences",
            description =
                    "Also print the report's sentences (\"sentences\": [...], with their section and whether it counts).")
    boolean sentences;

    @Option(
            names = "--max-chars",
            paramLabel = "N",
            defaultValue = "65536",
            description = "Longest report (or line) read; a longer one is an error for that report "
                    + "(default: ${DEFAULT-VALUE}, as villa decompose --max-report-chars).")
    int maxChars;

    private final InputStream in;
    private final ObjectMapper json = new ObjectMapper();

    public ExtractCommand() {
        this(System.in);
    }

    ExtractCommand(InputStream in) {
        this.in = in;
    }

    @Override
    public Integer call() throws Exception {
        if (maxChars < 1) {
            throw new IllegalArgumentException("--max-chars must be at least 1");
        }
        FindingExtractor extractor =
                new FindingExtractor(Vocabulary.named(vocabulary), Triggers.fromFileOrStandard(triggers));
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        BoundedLines input =
                new BoundedLines(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), maxChars);
        long number = 0;
        long failed = 0;
        for (BoundedLines.Unit unit = whole ? input.rest() : input.nextLine();
                unit != null;
                unit = whole ? null : input.nextLine()) {
            number++;
            if (unit.tooLong()) {
                failed++;
                String reason =
                        "report " + number + " is " + unit.length() + " characters, over --max-chars " + maxChars;
                err.println("villa extract: " + reason + "; skipped");
                out.println(json.writeValueAsString(json.createObjectNode().put("error", reason)));
            } else {
                out.println(json.writeValueAsString(toJson(extractor, extractor.extract(unit.text()))));
            }
            if (!input.ready()) {
                out.flush();
            }
        }
        out.flush();
        err.flush();
        return failed == 0 ? 0 : SOME_FAILED;
    }

    private ObjectNode toJson(FindingExtractor extractor, ReportFindings found) {
        Vocabulary v = extractor.vocabulary();
        ObjectNode node = json.createObjectNode();
        ArrayNode findings = node.putArray("findings");
        for (Finding f : found.findings()) {
            findings.addObject()
                    .put("attribute", v.id(f.attribute()))
                    .put("polarity", f.polarity().label())
                    .put("sentence", f.sentence());
        }
        ArrayNode attributes = node.putArray("attributes");
        for (Map.Entry<Integer, ?> e : found.present(uncertain).entrySet()) {
            attributes.add(v.id(e.getKey()));
        }
        if (sentences) {
            ArrayNode list = node.putArray("sentences");
            for (ReportSentence s : found.sentences()) {
                list.addObject()
                        .put("text", s.text())
                        .put("section", s.section())
                        .put("counted", s.counted());
            }
        }
        return node;
    }
}
