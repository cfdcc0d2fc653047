package io.villa.flink.join;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;

import javax.imageio.ImageIO;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.villa.kafka.embedded.EmbeddedKafkaBroker;
import io.villa.records.Image;
import io.villa.records.ImageFormat;
import io.villa.records.ReportStatus;
import io.villa.records.StudyImage;
import io.villa.records.StudyReport;

/**
 * Join throughput: STUDIES studies of IMAGES images each and one FINAL report, all pre-loaded in the feed topics of the
 * embedded broker, joined by a bounded run of the real job in a local MiniCluster; pairs/s over the job's run time
 * (start-up and the final checkpoint included) and pairs committed, read back read_committed.
 *   flink-jobs/join-bench.sh [studies=2000] [imagesPerStudy=2] [imageSide=256]
 */
public final class JoinBenchmark {

    public static void main(String[] args) throws Exception {
        int studies = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int perStudy = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int side = args.length > 2 ? Integer.parseInt(args[2]) : 256;
        byte[] png = png(side);
        Path checkpoints = Files.createTempDirectory("join-bench");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            JoinHarness job = new JoinHarness(broker, "bench", 4);
            long loadStart = System.nanoTime();
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(broker.settings().producerConfig(),
                    new StringSerializer(), new ByteArraySerializer())) {
                for (int s = 0; s < studies; s++) {
                    String study = FeedFixtures.key("study" + s);
                    for (int i = 0; i < perStudy; i++) {
                        StudyImage image = StudyImage.newBuilder().setStudyKey(study).setInstanceKey(FeedFixtures.key("i" + s + "/" + i))
                                .setSource("dicomweb").setImage(new Image(ByteBuffer.wrap(png), ImageFormat.PNG, side, side))
                                .setModality("CR").setViewPosition(i == 0 ? "PA" : "LL").setSplit(null).setRegions(List.of())
                                .setGroundTruth(null).setEventTime(Instant.now()).build();
                        producer.send(new ProducerRecord<>(job.images, study, FeedFixtures.encode(image)));
                    }
                    StudyReport report = FeedFixtures.report("study" + s, "m" + s, ReportStatus.FINAL,
                            "Heart size normal. No focal consolidation, effusion or pneumothorax. Study " + s + ".", null);
                    producer.send(new ProducerRecord<>(job.reports, study, FeedFixtures.encode(report)));
                }
                producer.flush();
            }
            System.out.printf("loaded %d studies, %d images of %d bytes (%dx%d PNG) and %d reports in %.1f s%n", studies,
                    studies * perStudy, png.length, side, side, studies, (System.nanoTime() - loadStart) / 1e9);
            long start = System.nanoTime();
            long net = job.run(job.args(checkpoints, "--bounded", "--checkpoint-interval", "1000"));
            double wall = (System.nanoTime() - start) / 1e9;
            int pairs = job.pairs().size();
            int expected = studies * perStudy;
            System.out.printf("joined %d pairs (expected %d) in %.1f s job run time (%.1f s wall): %.0f pairs/s%n",
                    pairs, expected, net / 1000.0, wall, pairs / (net / 1000.0));
            if (pairs != expected) {
                throw new AssertionError("pairs committed: " + pairs + ", expected " + expected);
            }
        }
    }

    /** A greyscale gradient with noise, about the entropy of a downscaled radiograph. */
    static byte[] png(int side) throws Exception {
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
        Random random = new Random(1);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                int v = (x + y) * 255 / (2 * side) + random.nextInt(16);
                image.getRaster().setSample(x, y, 0, Math.min(255, v));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
