package io.villa.producers.bench;

import java.awt.image.BufferedImage;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import io.villa.deid.Pseudonyms;
import io.villa.kafka.TopicNames;
import io.villa.kafka.embedded.EmbeddedKafkaBroker;
import io.villa.producers.dicomweb.Dcmtk;
import io.villa.producers.dicomweb.DicomWebAuth;
import io.villa.producers.dicomweb.DicomWebClient;
import io.villa.producers.dicomweb.DicomWebFollower;
import io.villa.producers.dicomweb.OrthancProcess;
import io.villa.producers.dicomweb.StudyImageMapper;

/**
 * Instances/s from a PACS: a real Orthanc (DICOMweb plugin) holding DCMTK-written images, followed into an embedded
 * broker until caught up, with 1 and 4 fetch threads. Arguments: [small=200] [large=20]. Small: 256x256 8-bit;
 * large: 2048x2500 12-bit MONOCHROME1 with a window, downscaled to 1024. See producers/bench-dicomweb.sh.
 */
public final class DicomWebBench {

    public static void main(String[] args) throws Exception {
        int small = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int large = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Path dir = Files.createTempDirectory("villa-dicomweb-bench");
        Pseudonyms keys = Pseudonyms.withKey("bench-key-bench-key-bench-key-bench-key".getBytes(StandardCharsets.UTF_8));
        try (OrthancProcess orthanc = OrthancProcess.start(dir.resolve("pacs"), false);
             EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            BufferedImage image = new BufferedImage(256, 256, BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < 256; y++) {
                for (int x = 0; x < 256; x++) {
                    image.getRaster().setSample(x, y, 0, (x * y) & 0xFF);
                }
            }
            for (int i = 0; i < small; i++) {
                Path file = Dcmtk.grey8(dir, "s" + i, image, Map.of("AccessionNumber", "S" + i, "Modality", "CR"));
                orthanc.upload(file);
                Files.delete(file);
            }
            int w = 2048;
            int h = 2500;
            int[] pixels = new int[w * h];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = (i * 7 + i / w * 13) & 0xFFF;
            }
            for (int i = 0; i < large; i++) {
                Path file = Dcmtk.grey16(dir, "l" + i, w, h, pixels, 12, "MONOCHROME1", Map.of("AccessionNumber", "L" + i,
                        "Modality", "DX", "WindowCenter", "2048", "WindowWidth", "3000"));
                orthanc.upload(file);
                Files.delete(file);
            }
            System.out.printf(Locale.ROOT, "Orthanc holds %d small (256x256 8-bit) and %d large (%dx%d 12-bit) instances; %d cores%n",
                    small, large, w, h, Runtime.getRuntime().availableProcessors());
            int run = 0;
            for (String modality : new String[] {"CR", "DX"}) {
                for (int threads : new int[] {1, 4}) {
                    run++;
                    TopicNames topics = new TopicNames("bench.images." + run, "bench.r." + run, "bench.dead." + run, "bench.e." + run);
                    broker.createTopics(topics, 3);
                    StudyImageMapper mapper = StudyImageMapper.builder().setPseudonyms(keys).optMaxSide(1024).build();
                    long t0 = System.nanoTime();
                    DicomWebFollower.Summary summary;
                    try (DicomWebFollower follower = DicomWebFollower.builder()
                            .setClient(new DicomWebClient(URI.create(orthanc.dicomWebUrl()), DicomWebAuth.none(), Duration.ofSeconds(60)))
                            .setMapper(mapper).setKafka(broker.settings()).setImagesTopic(topics.imageReportPairs())
                            .setDeadLettersTopic(topics.deadLetters()).optPositionsTopic("bench.positions")
                            .optFeedId("bench-" + run).optModalities(java.util.List.of(modality)).optFetchThreads(threads)
                            .optBounded(true).optPollInterval(Duration.ZERO).build()) {
                        summary = follower.run();
                    }
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    System.out.printf(Locale.ROOT, "%s, %d fetch thread(s): %d instances in %.2f s = %.1f instances/s (%d transactions)%n",
                            modality.equals("CR") ? "small" : "large", threads, summary.sent(), seconds, summary.sent() / seconds,
                            summary.transactions());
                }
            }
        } finally {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
