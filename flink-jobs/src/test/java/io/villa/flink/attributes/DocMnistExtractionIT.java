package io.villa.flink.attributes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.villa.producers.docmnist.DocMnistConfig;
import io.villa.producers.docmnist.DocMnistGenerator;
import io.villa.producers.docmnist.DocMnistRegion;
import io.villa.producers.docmnist.DocMnistSample;
import io.villa.producers.mnist.MnistDigits;
import io.villa.records.Split;

/**
 * DocMNIST is unchanged by the report-language extractor: on generated reports (no negations, no sections) it finds
 * exactly each report's true attributes, with the same sentences and the same sentence for each attribute as the
 * extractor it replaced (whole-word regular expressions over sentences split at " . ").
 */
class DocMnistExtractionIT {

    private static final Pattern OLD_SPLIT = Pattern.compile("(?<=[.!?;])\\s+|\\s+\\.\\s+|[\\r\\n]+|\\.$");

    @ParameterizedTest
    @CsvSource({"4, 1", "16, 42", "36, 7"})
    void findsExactlyTheTrueAttributesAsBefore(int complexity, long seed) throws IOException {
        DocMnistGenerator generator = new DocMnistGenerator(
                MnistDigits.fromDefaultCache(),
                DocMnistConfig.builder()
                        .optSeed(seed)
                        .optTargetComplexity(complexity)
                        .optBudgets(20_000, 2_000, 2_000)
                        .build());
        AttributeExtractor extractor = new AttributeExtractor(AttributeVocabulary.docMnist());
        AttributeVocabulary v = extractor.vocabulary();
        int reports = 0;
        for (Split split : Split.values()) {
            for (Iterator<DocMnistSample> it = generator.samples(split); it.hasNext(); reports++) {
                DocMnistSample sample = it.next();
                ExtractedAttributes found = extractor.extract(sample.report());
                TreeSet<String> truth = new TreeSet<>();
                for (DocMnistRegion r : sample.regions()) {
                    truth.addAll(r.attributes());
                }
                TreeSet<String> got = new TreeSet<>();
                for (int a : found.present()) {
                    got.add(v.word(a));
                    assertThat(found.firstSentence(a)).isEqualTo(oldFirstSentence(sample.report(), v.word(a)));
                }
                assertThat(got).as(sample.report()).isEqualTo(truth);
                assertThat(found.sentences()).isEqualTo(oldSentences(sample.report()));
            }
        }
        assertThat(reports).isGreaterThan(500);
    }

    private static List<String> oldSentences(String report) {
        List<String> out = new ArrayList<>();
        for (String part : OLD_SPLIT.split(report)) {
            String s = part.trim().replaceAll("[.!?;]+$", "").trim();
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    private static String oldFirstSentence(String report, String word) {
        Pattern p = Pattern.compile(
                "(?<![\\p{L}\\p{N}])" + Pattern.quote(word) + "(?![\\p{L}\\p{N}])", Pattern.CASE_INSENSITIVE);
        return oldSentences(report).stream()
                .filter(s -> p.matcher(s).find())
                .findFirst()
                .orElse(null);
    }
}
