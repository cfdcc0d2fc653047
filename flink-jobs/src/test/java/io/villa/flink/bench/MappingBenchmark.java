package io.villa.flink.bench;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

import io.villa.flink.attributes.AttributeExtractor;
import io.villa.flink.attributes.AttributeVocabulary;
import io.villa.flink.attributes.ExtractedAttributes;
import io.villa.flink.mapping.Assignment;
import io.villa.flink.mapping.MappingConfig;
import io.villa.flink.mapping.MappingExample;
import io.villa.flink.mapping.MappingLearner;
import io.villa.flink.mapping.MappingQuality;
import io.villa.flink.prepare.RegionPixels;
import io.villa.producers.docmnist.DocMnistConfig;
import io.villa.producers.docmnist.DocMnistGenerator;
import io.villa.producers.mnist.MnistDigits;
import io.villa.records.Box;
import io.villa.records.ImageReportPair;
import io.villa.records.RegionTruth;
import io.villa.records.Split;

/**
 * Mapping-model benchmark on DocMNIST (the paper's set-up by default: train budget 30,000, complexity 16):
 * streams TRAIN images through the online learner once and prints validation mapping F1 against TRAIN
 * images seen, with wall time, then precision/recall per attribute and per attribute type. Arguments: [trainBudget]
 * [complexity] [encoder] [passes] [batch] [valBudget] [warmupPairs warmupSteps] [learningRate]; the DocMNIST seed is
 * {@code -Dvilla.docmnist.seed} (default 23, the paper's).
 */
public final class MappingBenchmark {

    public static void main(String[] args) throws IOException {
        long trainBudget = args.length > 0 ? Long.parseLong(args[0]) : 30_000;
        int complexity = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        MappingConfig.Builder builder = MappingConfig.builder();
        if (args.length > 2) {
            builder.optEncoder(args[2]);
        }
        if (args.length > 3) {
            builder.optPasses(Integer.parseInt(args[3]));
        }
        if (args.length > 4) {
            int batch = Integer.parseInt(args[4]);
            builder.optBatchSize(batch)
                    .optReplaySize(Math.max(MappingConfig.defaults().replaySize(), batch));
        }
        long valBudget = args.length > 5 ? Long.parseLong(args[5]) : 10_000;
        if (args.length > 7) {
            builder.optWarmup(Integer.parseInt(args[6]), Integer.parseInt(args[7]));
        }
        if (args.length > 8) {
            builder.optLearningRate(Float.parseFloat(args[8]));
        }
        MappingConfig config = builder.build();
        DocMnistGenerator generator = new DocMnistGenerator(
                MnistDigits.fromDefaultCache(),
                DocMnistConfig.builder()
                        .optSeed(Long.getLong("villa.docmnist.seed", 23L))
                        .optTargetComplexity(complexity)
                        .optBudgets(trainBudget, valBudget, 0)
                        .build());
        AttributeVocabulary vocabulary = AttributeVocabulary.docMnist();
        AttributeExtractor extractor = new AttributeExtractor(vocabulary);
        List<MappingExample> val =
                examples(generator.records(Split.VAL), extractor, config.regionSize(), Integer.MAX_VALUE);
        System.out.printf(Locale.ROOT, "config %s%nvalidation images %d%n", config, val.size());
        long start = System.nanoTime();
        try (MappingLearner learner = new MappingLearner(config, vocabulary.size())) {
            Iterator<ImageReportPair> train = generator.records(Split.TRAIN);
            long seen = 0;
            long nextReport = 0;
            System.out.println("trainImagesSeen,modelVersion,valPrecision,valRecall,valF1,seconds");
            while (train.hasNext()) {
                List<MappingExample> one =
                        examples(List.of(train.next()).iterator(), extractor, config.regionSize(), 1);
                learner.learn(one.get(0));
                seen++;
                if (learner.isWarm() && (seen >= nextReport || !train.hasNext())) {
                    report(learner, val, seen, start);
                    nextReport = seen + 250;
                }
            }
            report(learner, val, seen, start);
            perAttribute(learner, val, vocabulary);
            perType(learner, val, vocabulary);
        }
    }

    /** Precision, recall and F1 per attribute type of the vocabulary. */
    private static void perType(MappingLearner learner, List<MappingExample> val, AttributeVocabulary vocabulary) {
        MappingQuality quality = new MappingQuality(0, vocabulary.typeNames());
        List<Assignment> assignments = learner.assign(val);
        for (int i = 0; i < val.size(); i++) {
            quality.add(
                    "VAL",
                    MappingQuality.counts(
                            assignments.get(i),
                            val.get(i).truth(),
                            vocabulary.typeIndexes(),
                            vocabulary.typeNames().size()));
        }
        System.out.println("type,precision,recall,f1");
        quality.byType("VAL")
                .forEach((type, c) ->
                        System.out.printf(Locale.ROOT, "%s,%.4f,%.4f,%.4f%n", type, c.precision(), c.recall(), c.f1()));
    }

    /** Per attribute: correct / assigned / true region pairs on validation, to see what is hard. */
    private static void perAttribute(MappingLearner learner, List<MappingExample> val, AttributeVocabulary vocabulary) {
        int n = vocabulary.size();
        long[] correct = new long[n];
        long[] assigned = new long[n];
        long[] truth = new long[n];
        List<Assignment> assignments = learner.assign(val);
        for (int i = 0; i < val.size(); i++) {
            Assignment a = assignments.get(i);
            for (int r = 0; r < a.regionCount(); r++) {
                for (int attr : a.region(r).keySet()) {
                    assigned[attr]++;
                }
                for (int t : val.get(i).truth().get(r)) {
                    truth[t]++;
                    if (a.region(r).containsKey(t)) {
                        correct[t]++;
                    }
                }
            }
        }
        System.out.println("attribute,precision,recall,truePairs");
        for (int a = 0; a < n; a++) {
            System.out.printf(
                    Locale.ROOT,
                    "%s,%.3f,%.3f,%d%n",
                    vocabulary.word(a),
                    assigned[a] == 0 ? 0 : (double) correct[a] / assigned[a],
                    truth[a] == 0 ? 0 : (double) correct[a] / truth[a],
                    truth[a]);
        }
    }

    private static void report(MappingLearner learner, List<MappingExample> val, long seen, long start) {
        MappingQuality quality = new MappingQuality();
        List<Assignment> assignments = learner.assign(val);
        for (int i = 0; i < val.size(); i++) {
            quality.add("VAL", assignments.get(i), val.get(i).truth());
        }
        MappingQuality.Counts c = quality.split("VAL");
        System.out.printf(
                Locale.ROOT,
                "%d,%d,%.4f,%.4f,%.4f,%.1f%n",
                seen,
                learner.version(),
                c.precision(),
                c.recall(),
                c.f1(),
                (System.nanoTime() - start) / 1e9);
    }

    public static List<MappingExample> examples(
            Iterator<ImageReportPair> pairs, AttributeExtractor extractor, int size, int max) throws IOException {
        List<MappingExample> out = new ArrayList<>();
        while (pairs.hasNext() && out.size() < max) {
            ImageReportPair pair = pairs.next();
            BufferedImage image = ImageIO.read(
                    new ByteArrayInputStream(pair.getImage().getData().array()));
            List<byte[]> pixels = new ArrayList<>();
            for (Box box : pair.getRegions()) {
                pixels.add(RegionPixels.pixels(image, box, size));
            }
            ExtractedAttributes found = extractor.extract(pair.getReport());
            List<int[]> truth = new ArrayList<>();
            for (int r = 0; r < pair.getRegions().size(); r++) {
                truth.add(new int[0]);
            }
            if (pair.getGroundTruth() != null) {
                for (RegionTruth t : pair.getGroundTruth()) {
                    truth.set(
                            t.getRegionIndex(),
                            t.getAttributes().stream()
                                    .mapToInt(w -> extractor.vocabulary().indexOf(w))
                                    .filter(i -> i >= 0)
                                    .toArray());
                }
            }
            out.add(new MappingExample(pixels, found.present(), truth));
        }
        return out;
    }
}
