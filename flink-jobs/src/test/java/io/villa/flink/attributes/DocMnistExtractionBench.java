package io.villa.flink.attributes;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import io.villa.producers.docmnist.DocMnistConfig;
import io.villa.producers.docmnist.DocMnistGenerator;
import io.villa.producers.docmnist.DocMnistSample;
import io.villa.producers.mnist.MnistDigits;
import io.villa.records.Split;

/**
 * Attribute extraction on DocMNIST reports (complexity 16), one thread: the report-language extractor against the
 * whole-word regular expressions it replaced (kept here for the comparison), in reports per second. Not a test; run
 * with the test class path (see flink-jobs/mapping-bench.sh for how to build it):
 * {@code java -cp ... io.villa.flink.attributes.DocMnistExtractionBench [seconds]}.
 */
public final class DocMnistExtractionBench {

    private static final Pattern OLD_SPLIT = Pattern.compile("(?<=[.!?;])\\s+|\\s+\\.\\s+|[\\r\\n]+|\\.$");

    private DocMnistExtractionBench() {}

    public static void main(String[] args) throws IOException {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        DocMnistGenerator generator = new DocMnistGenerator(
                MnistDigits.fromDefaultCache(),
                DocMnistConfig.builder()
                        .optSeed(42)
                        .optTargetComplexity(16)
                        .optBudgets(30_000, 0, 0)
                        .build());
        List<String> reports = new ArrayList<>();
        for (Iterator<DocMnistSample> it = generator.samples(Split.TRAIN); it.hasNext(); ) {
            reports.add(it.next().report());
        }
        AttributeExtractor extractor = new AttributeExtractor(AttributeVocabulary.docMnist());
        Pattern[] old = oldPatterns(AttributeVocabulary.DOCMNIST_WORDS);
        for (int round = 0; round < 2; round++) { // the first round warms up
            double now = rate(reports, seconds, r -> extractor.extract(r).present().length);
            double before = rate(reports, seconds, r -> oldExtract(r, old));
            if (round == 1) {
                System.out.printf(
                        Locale.ROOT,
                        "DocMNIST reports (complexity 16, %d distinct): report-language %.0f reports/s, "
                                + "regular expressions (before) %.0f reports/s, one thread%n",
                        reports.size(),
                        now,
                        before);
            }
        }
    }

    private static double rate(List<String> reports, double seconds, java.util.function.ToIntFunction<String> extract) {
        long sink = 0;
        long done = 0;
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long now;
        do {
            for (String r : reports) {
                sink += extract.applyAsInt(r);
            }
            done += reports.size();
            now = System.nanoTime();
        } while (now < end);
        if (sink == 42) {
            System.out.print("");
        }
        return done / ((now - start) / 1e9);
    }

    private static Pattern[] oldPatterns(List<String> words) {
        Pattern[] p = new Pattern[words.size()];
        for (int a = 0; a < p.length; a++) {
            String body = Pattern.quote(words.get(a)).replace(" ", "\\E\\s+\\Q");
            p[a] = Pattern.compile(
                    "(?<![\\p{L}\\p{N}])" + body + "(?![\\p{L}\\p{N}])",
                    Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        }
        return p;
    }

    /** The extractor this module had before report-language: split, then every pattern over every sentence. */
    private static int oldExtract(String report, Pattern[] patterns) {
        int found = 0;
        for (String part : OLD_SPLIT.split(report)) {
            String s = part.trim().replaceAll("[.!?;]+$", "").trim();
            if (s.isEmpty()) {
                continue;
            }
            for (Pattern p : patterns) {
                if (p.matcher(s).find()) {
                    found++;
                }
            }
        }
        return found;
    }
}
