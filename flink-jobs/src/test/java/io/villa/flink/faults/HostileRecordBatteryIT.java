package io.villa.flink.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.villa.flink.wiring.TestPairs;
import io.villa.kafka.embedded.EmbeddedKafkaExtension;
import io.villa.producers.docmnist.DocMnistGenerator;
import io.villa.records.ImageReportPair;
import io.villa.records.Split;

/**
 * The fault suite's hostile-record battery: hostile records of eight categories, mixed into streams of valid
 * DocMNIST pairs, through the real decomposition job (Flink MiniCluster, embedded KRaft broker, exactly-once
 * sinks), bounded and with no restarts allowed. Afterwards every record sent is accounted for by its source
 * offset: valid pairs decomposed exactly once, hostile records dead-lettered exactly once with a reason,
 * mutations one or the other exactly once, nothing lost, nothing twice, nothing else in the output topics.
 *
 * <p>Each category runs as its own job on its own topics, so that a category that fails the job shows as that
 * category's restart, with the job's failure cause, and does not hide the others. The table goes to stdout and
 * {@code target/fault-suite/battery.md}.
 */
class HostileRecordBatteryIT {

    static final long SEED = 20_250_611L;
    static final int MUTATIONS = 3_000;
    /** The report of (e): 10 MB of text (the input topic accepts it, see {@link BatteryJob#INPUT_MAX_MESSAGE_BYTES}). */
    static final int LONG_REPORT_BYTES = 10 * 1024 * 1024;
    /** The Kafka producer's default max.request.size, which the job's sinks keep. */
    static final int SINK_MAX_REQUEST_BYTES = 1024 * 1024;
    /** Valid TRAIN pairs per run: enough for the fast mapping settings' warm-up (24) with some to spare. */
    static final int VALID_TRAIN = 32;

    static final int VALID_TEST = 4;
    /** Valid pairs before the first hostile record (the rest are spread between the hostile ones). */
    static final int VALID_LEAD = 6;
    /** Long enough for today's slowest category (the 30000x30000 PNG decoded and cut, ~2 min on two cores). */
    static final Duration RUN_TIMEOUT = Duration.ofSeconds(180);
    /** {@code -Dbattery.categories=a,d} runs only those categories (to reproduce one); all by default. */
    static final Set<String> ONLY = java.util.Arrays.stream(
                    System.getProperty("battery.categories", "").split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .collect(java.util.stream.Collectors.toSet());

    static final Path REPORT_DIR = Path.of("target", "fault-suite");

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    /** A category of the battery: its records are built when its run starts (some are large). */
    record Category(String id, String title, Function<HostileRecords, List<BatteryRecord>> records) {}

    @Test
    void everyHostileRecordIsDeadLetteredOnceAndNothingIsLostDuplicatedOrRestarted(@TempDir Path checkpoints)
            throws Exception {
        ImageReportPair template =
                TestPairs.take(TestPairs.generator(SEED, 8), Split.TRAIN, 1).get(0);
        checkTheBatteryItself(template);

        // (b) last: a decoder that does not stop may leave the cluster busy for the runs after it
        List<Category> categories = List.of(
                new Category("g", "null, empty and garbage values", HostileRecords::notRecords),
                new Category("c", "huge or negative ground-truth regionIndex", HostileRecords::hostileRegionIndexes),
                new Category("d", "Avro length prefixes that lie", HostileRecords::lyingLengthPrefixes),
                new Category("a", "thousands of boxes", HostileRecords::thousandsOfBoxes),
                new Category("e", "very long reports", h -> h.hugeReports(LONG_REPORT_BYTES)),
                new Category("f", "output over the sink's max request size", HostileRecords::outputTooLarge),
                new Category(
                        "h",
                        String.format("random mutations (%,d, seed %d)", MUTATIONS, SEED),
                        h -> mutations(template)),
                new Category("b", "PNG header honestly 30000x30000 (1-bit)", HostileRecords::decompressionBomb));

        List<BatteryRun> runs = new ArrayList<>();
        boolean clusterUsable = true;
        for (int i = 0; i < categories.size(); i++) {
            Category category = categories.get(i);
            if (!ONLY.isEmpty() && !ONLY.contains(category.id())) {
                continue;
            }
            if (!clusterUsable) {
                runs.add(new BatteryRun(category.id(), category.title(), null, null));
                continue;
            }
            BatteryRun run = run(
                    category,
                    new HostileRecords(template, SEED + i),
                    checkpoints.resolve(category.id()),
                    SEED + 100 + i);
            runs.add(run);
            clusterUsable = run.outcome().clusterStillUsable();
        }

        BatteryReport report = new BatteryReport(runs, SEED);
        String markdown = report.markdown();
        System.out.println(markdown);
        report.write(REPORT_DIR);

        Ledger.Tally total = report.total();
        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(runs)
                .as("categories that could not run")
                .allSatisfy(r -> assertThat(r.ledger()).isNotNull());
        soft.assertThat(total.lost)
                .as("records lost (neither decomposed nor dead-lettered)")
                .isZero();
        soft.assertThat(total.duplicated).as("records out more than once").isZero();
        soft.assertThat(report.restarts())
                .as("job restarts caused (runs that failed with --restart-attempts 0)")
                .isZero();
        soft.assertThat(total.wrongOutcome)
                .as("valid pairs dead-lettered or hostile records decomposed")
                .isZero();
        soft.assertThat(total.badOutput)
                .as("records with malformed outputs or dead letters")
                .isZero();
        soft.assertThat(report.unaccountedOutputs())
                .as("output records that belong to no record sent")
                .isZero();
        soft.assertThat(report.failures())
                .as("every failure (see %s)", REPORT_DIR.resolve("battery.md"))
                .isEmpty();
        soft.assertAll();
    }

    /** One category: valid pairs around its hostile records, sent, run through the job, and accounted for. */
    private BatteryRun run(Category category, HostileRecords hostile, Path checkpoints, long validSeed)
            throws Exception {
        BatteryJob job = new BatteryJob(KAFKA.broker(), "battery-" + category.id());
        List<BatteryRecord> valid = new ArrayList<>();
        DocMnistGenerator generator = TestPairs.generator(validSeed, 8);
        TestPairs.take(generator, Split.TRAIN, VALID_TRAIN).forEach(p -> valid.add(BatteryRecord.valid(p)));
        TestPairs.take(generator, Split.TEST, VALID_TEST).forEach(p -> valid.add(BatteryRecord.valid(p)));
        List<BatteryRecord> stream = interleave(valid, category.records().apply(hostile));

        Ledger ledger = new Ledger(job.topics.imageReportPairs());
        List<Long> offsets = job.send(stream);
        for (int i = 0; i < stream.size(); i++) {
            ledger.sent(offsets.get(i), stream.get(i));
        }
        JobOutcome outcome = job.run(checkpoints, RUN_TIMEOUT);
        System.out.printf(
                "battery (%s): %d records, job %s in %.1f s%s%n",
                category.id(),
                stream.size(),
                outcome.status(),
                outcome.seconds(),
                outcome.cause() == null ? "" : ": " + outcome.cause());
        ledger.accountDeadLetters(job.readCommitted(job.topics.deadLetters()));
        ledger.accountRegions(job.readCommitted(job.topics.regionAttributePairs()));
        return new BatteryRun(category.id(), category.title(), ledger, outcome);
    }

    /** {@link #VALID_LEAD} valid pairs, then the hostile records spread evenly between the remaining ones. */
    static List<BatteryRecord> interleave(List<BatteryRecord> valid, List<BatteryRecord> hostile) {
        List<BatteryRecord> out = new ArrayList<>(valid.subList(0, VALID_LEAD));
        List<BatteryRecord> rest = valid.subList(VALID_LEAD, valid.size());
        int h = 0;
        for (int v = 0; v < rest.size(); v++) {
            int due = (int) ((long) (v + 1) * hostile.size() / rest.size());
            while (h < due) {
                out.add(hostile.get(h++));
            }
            out.add(rest.get(v));
        }
        out.addAll(hostile.subList(h, hostile.size()));
        return out;
    }

    private static List<BatteryRecord> mutations(ImageReportPair template) {
        DocMnistGenerator generator = TestPairs.generator(SEED + 7, 8);
        List<ImageReportPair> pool = new ArrayList<>();
        pool.addAll(TestPairs.take(generator, Split.TRAIN, 60));
        pool.addAll(TestPairs.take(generator, Split.VAL, 20));
        pool.addAll(TestPairs.take(generator, Split.TEST, 20));
        Set<String> inUse = new HashSet<>();
        pool.forEach(p -> inUse.add(p.getPairId().toString()));
        return new MutationGenerator(pool, SEED, inUse).generate(MUTATIONS);
    }

    /** The battery's own premises: if one of these fails, the battery would not test what it says. */
    private static void checkTheBatteryItself(ImageReportPair template) throws Exception {
        assertThat(LyingAvro.matchesCodec(template))
                .as("hand-written Avro layout equals the codec's")
                .isTrue();
        HostileRecords hostile = new HostileRecords(template, SEED);

        byte[] bomb = HostileImages.blackOneBitPng(30_000);
        assertThat(bomb.length).as("the 30000x30000 PNG is small").isLessThan(200_000);
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bomb))) {
            ImageReader reader = ImageIO.getImageReaders(in).next();
            reader.setInput(in);
            // the header alone: reading the pixels is what the job must not do
            assertThat(new int[] {reader.getWidth(0), reader.getHeight(0)})
                    .as("PNG header")
                    .containsExactly(30_000, 30_000);
            reader.dispose();
        }

        for (BatteryRecord r : hostile.outputTooLarge()) {
            assertThat(r.size())
                    .as("%s: the record, and so its whole-image output, is over the sink's limit", r.label())
                    .isGreaterThan(SINK_MAX_REQUEST_BYTES);
            assertThat(BatteryRecord.tryDecode(r.value()))
                    .as("%s decodes", r.label())
                    .isNotNull();
        }
        assertThat(hostile.hugeReports(LONG_REPORT_BYTES).get(0).size()).isGreaterThanOrEqualTo(LONG_REPORT_BYTES);
        for (BatteryRecord r : hostile.lyingLengthPrefixes()) {
            assertThat(r.size())
                    .as("%s: the lie is in the prefix, not the content", r.label())
                    .isLessThan(BatteryRecord.valid(template).size() + 16);
        }
    }
}
