package io.villa.language;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Extraction speed on the labelled chest X-ray reports (both sets), one thread: sentences per second through the
 * whole of {@link FindingExtractor#extract} (split, sections, matching, negation). Not a test; run with
 * {@code java -cp report-language/target/classes:report-language/target/test-classes io.villa.language.ExtractionBench [seconds]}.
 */
public final class ExtractionBench {

    private ExtractionBench() {
    }

    public static void main(String[] args) throws IOException {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        List<String> reports = new ArrayList<>();
        for (String set : List.of(LabelledSet.DEVELOPMENT, LabelledSet.HELD_OUT)) {
            LabelledSet.read(set).forEach(e -> reports.add(e.text()));
        }
        FindingExtractor extractor = FindingExtractor.standard(Vocabulary.shipped(Vocabulary.CHEST_XRAY));
        long sink = 0;
        long end = System.nanoTime() + 1_000_000_000L; // warm-up: one second
        while (System.nanoTime() < end) {
            for (String r : reports) {
                sink += extractor.extract(r).findings().size();
            }
        }
        long sentences = 0;
        long reportsDone = 0;
        long start = System.nanoTime();
        end = start + (long) (seconds * 1e9);
        long now;
        do {
            for (String r : reports) {
                ReportFindings f = extractor.extract(r);
                sentences += f.sentences().size();
                sink += f.findings().size();
            }
            reportsDone += reports.size();
            now = System.nanoTime();
        } while (now < end);
        double s = (now - start) / 1e9;
        System.out.printf(Locale.ROOT, "%d reports, %d sentences in %.2f s: %.0f sentences/s, %.0f reports/s (one thread; %d)%n",
                reportsDone, sentences, s, sentences / s, reportsDone / s, sink % 10);
    }
}
