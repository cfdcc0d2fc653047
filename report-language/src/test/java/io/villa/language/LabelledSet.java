package io.villa.language;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The labelled report set ({@code labelled-reports.tsv}, format in its header) and its scoring: precision and recall
 * of positive findings per attribute and overall, report by report, with the uncertain policy IGNORE.
 */
final class LabelledSet {

    record Example(int line, String text, Map<String, Polarity> expected) {
    }

    /** Counts for one attribute (or all): true positives, false positives, false negatives, support. */
    static final class Counts {
        long tp;
        long fp;
        long fn;
        long support;

        double precision() {
            return tp + fp == 0 ? 1.0 : (double) tp / (tp + fp);
        }

        double recall() {
            return tp + fn == 0 ? 1.0 : (double) tp / (tp + fn);
        }
    }

    /** Scores of a run over the set. */
    record Score(Map<String, Counts> perAttribute, Counts overall, List<String> negatedAsPositive, List<String> errors,
                 long uncertainRight, long uncertainExpected, int sentences) {
    }

    private LabelledSet() {
    }

    static final String DEVELOPMENT = "labelled-reports.tsv";
    static final String HELD_OUT = "labelled-reports-heldout.tsv";

    static List<Example> read(String resource) throws IOException {
        List<Example> out = new ArrayList<>();
        try (InputStream in = LabelledSet.class.getResourceAsStream(resource)) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i];
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split("\t");
                if (parts.length != 2) {
                    throw new IllegalStateException(resource + " line " + (i + 1) + ": expected TEXT<TAB>LABELS");
                }
                Map<String, Polarity> expected = new LinkedHashMap<>();
                if (!parts[1].strip().equals("-")) {
                    for (String item : parts[1].split(";")) {
                        String[] kv = item.strip().split("=");
                        expected.put(kv[0].strip(), Polarity.valueOf(kv[1].strip().toUpperCase(Locale.ROOT)));
                    }
                }
                out.add(new Example(i + 1, parts[0].replace("\\n", "\n"), expected));
            }
        }
        return out;
    }

    /** The report-level polarity of each attribute: positive over uncertain over negated. */
    static Map<String, Polarity> reportLevel(ReportFindings findings, Vocabulary vocabulary) {
        Map<String, Polarity> out = new LinkedHashMap<>();
        for (Finding f : findings.findings()) {
            out.merge(vocabulary.id(f.attribute()), f.polarity(), LabelledSet::stronger);
        }
        return out;
    }

    private static Polarity stronger(Polarity a, Polarity b) {
        if (a == Polarity.POSITIVE || b == Polarity.POSITIVE) {
            return Polarity.POSITIVE;
        }
        return a == Polarity.UNCERTAIN || b == Polarity.UNCERTAIN ? Polarity.UNCERTAIN : Polarity.NEGATED;
    }

    static Score score(FindingExtractor extractor, List<Example> examples) {
        Vocabulary v = extractor.vocabulary();
        Map<String, Counts> per = new TreeMap<>();
        for (String id : v.ids()) {
            per.put(id, new Counts());
        }
        Counts overall = new Counts();
        List<String> negatedAsPositive = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        long uncertainRight = 0;
        long uncertainExpected = 0;
        int sentences = 0;
        for (Example e : examples) {
            ReportFindings findings = extractor.extract(e.text());
            sentences += findings.sentences().size();
            Map<String, Polarity> got = reportLevel(findings, v);
            for (String id : v.ids()) {
                boolean expected = e.expected().get(id) == Polarity.POSITIVE;
                boolean found = got.get(id) == Polarity.POSITIVE;
                Counts c = per.get(id);
                if (expected) {
                    c.support++;
                    overall.support++;
                }
                if (expected && found) {
                    c.tp++;
                    overall.tp++;
                } else if (found) {
                    c.fp++;
                    overall.fp++;
                } else if (expected) {
                    c.fn++;
                    overall.fn++;
                }
                if (found && e.expected().get(id) == Polarity.NEGATED) {
                    negatedAsPositive.add("line " + e.line() + ": " + id);
                }
                if (e.expected().get(id) == Polarity.UNCERTAIN) {
                    uncertainExpected++;
                    if (got.get(id) == Polarity.UNCERTAIN) {
                        uncertainRight++;
                    }
                }
                if (expected != found) {
                    errors.add("line " + e.line() + ": " + id + " expected " + e.expected().get(id) + ", got " + got.get(id));
                }
            }
        }
        return new Score(per, overall, negatedAsPositive, errors, uncertainRight, uncertainExpected, sentences);
    }

    /** The per-attribute table, as Markdown. */
    static String table(Score s) {
        StringBuilder b = new StringBuilder("| observation | precision | recall | support |\n| --- | --- | --- | --- |\n");
        s.perAttribute().forEach((id, c) -> b.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %d |%n", id, c.precision(),
                c.recall(), c.support)));
        Counts o = s.overall();
        b.append(String.format(Locale.ROOT, "| **all (micro)** | **%.3f** | **%.3f** | **%d** |%n", o.precision(), o.recall(), o.support));
        return b.toString();
    }

    /** Prints the table and the misses: {@code java ... io.villa.language.LabelledSet [RESOURCE]} (default the development set). */
    public static void main(String[] args) throws IOException {
        List<Example> examples = read(args.length > 0 ? args[0] : DEVELOPMENT);
        Score s = score(FindingExtractor.standard(Vocabulary.shipped(Vocabulary.CHEST_XRAY)), examples);
        System.out.println(examples.size() + " reports, " + s.sentences() + " sentences");
        System.out.print(table(s));
        System.out.println("negated extracted as positive: " + s.negatedAsPositive().size() + " " + s.negatedAsPositive());
        System.out.println("uncertain found uncertain: " + s.uncertainRight() + " of " + s.uncertainExpected());
        s.errors().forEach(System.out::println);
    }
}
