package io.villa.producers.hl7;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.villa.deid.Pseudonyms;
import io.villa.deid.ReportScrubber;
import io.villa.kafka.FeedTopicNames;
import io.villa.kafka.TopicAdmin;
import io.villa.kafka.TopicNames;
import io.villa.kafka.embedded.EmbeddedKafkaBroker;

/**
 * HL7 listener throughput: ORU^R01 messages/s with their ACK (each ACK waits for Kafka's acks=all acknowledgement)
 * from one sequential sender and from several concurrent ones, against an embedded broker in the same JVM; and the
 * report scrubber alone. Arguments: [messages=2000] [senders=4]. See producers/hl7-bench.sh.
 */
public final class Hl7Bench {

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        int senders = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        System.out.printf(Locale.ROOT, "HL7 listener: %d ORU^R01 messages (%d bytes each), %d cores%n", messages,
                OruFixtures.oru(1).length(), Runtime.getRuntime().availableProcessors());

        OruReader reader = new OruReader(AccessionField.OBR_3);
        Hl7Codec codec = new Hl7Codec();
        for (int i = 0; i < 500; i++) { // warm-up
            reader.read(codec.parse(OruFixtures.oru(i).strip()));
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < messages; i++) {
            codec.parse(OruFixtures.oru(i).strip());
        }
        report("HAPI parse only, 1 thread", messages, t0);
        OruMessage sample = reader.read(codec.parse(OruFixtures.oru(1).strip()));
        t0 = System.nanoTime();
        for (int i = 0; i < messages; i++) {
            ReportScrubber.builder().optNames(sample.names()).optIds(sample.ids()).optPhones(sample.phones())
                    .optAddresses(sample.addresses()).build().scrub(sample.reports().get(0).text());
        }
        report("scrub only (scrubber built per message), 1 thread", messages, t0);
        t0 = System.nanoTime();
        long removed = 0;
        for (int i = 0; i < messages; i++) {
            OruMessage oru = reader.read(codec.parse(OruFixtures.oru(i).strip()));
            removed += ReportScrubber.builder().optNames(oru.names()).optIds(oru.ids()).optPhones(oru.phones())
                    .optAddresses(oru.addresses()).build().scrub(oru.reports().get(0).text()).total();
        }
        report("parse + read + scrub (no Kafka, no socket), 1 thread", messages, t0);
        System.out.printf(Locale.ROOT, "  (%.1f PHI pieces removed per report)%n", removed / (double) messages);

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            FeedTopicNames feed = FeedTopicNames.defaults();
            try (TopicAdmin admin = new TopicAdmin(broker.settings())) {
                admin.createIfMissing(List.of(feed.studyReports(), TopicNames.DEFAULT_DEAD_LETTERS), 4, (short) 1);
            }
            Pseudonyms pseudonyms = Pseudonyms.withKey("bench-key-bench-key-bench-key-bench-key".getBytes(StandardCharsets.UTF_8));
            try (Hl7ReportHandler handler = Hl7ReportHandler.builder().setKafka(broker.settings()).setPseudonyms(pseudonyms)
                    .setReportsTopic(feed.studyReports()).setDeadLettersTopic(TopicNames.DEFAULT_DEAD_LETTERS).build();
                 MllpListener listener = MllpListener.builder().setPort(0).setHandler(handler).build().start()) {
                send(listener.port(), 0, Math.min(200, messages)); // warm-up
                t0 = System.nanoTime();
                send(listener.port(), 1_000_000, messages);
                report("MLLP + ACK after Kafka's acknowledgement, 1 sender (sequential)", messages, t0);

                ExecutorService pool = Executors.newFixedThreadPool(senders);
                List<Future<?>> runs = new ArrayList<>();
                int each = messages / senders;
                t0 = System.nanoTime();
                for (int s = 0; s < senders; s++) {
                    int first = 2_000_000 + s * each;
                    runs.add(pool.submit(() -> {
                        send(listener.port(), first, each);
                        return null;
                    }));
                }
                for (Future<?> run : runs) {
                    run.get();
                }
                report("MLLP + ACK after Kafka's acknowledgement, " + senders + " concurrent senders", each * senders, t0);
                pool.shutdown();
                System.out.printf(Locale.ROOT, "accepted %d, rejected %d, not stored %d%n", handler.accepted(),
                        handler.rejected(), handler.unstored());
            }
        }
    }

    private static void send(int port, int first, int count) throws Exception {
        try (MllpTestClient client = new MllpTestClient(port)) {
            for (int n = first; n < first + count; n++) {
                String ack = client.send(OruFixtures.oru(n));
                if (!"AA".equals(MllpTestClient.ackCode(ack))) {
                    throw new IllegalStateException("message " + n + " not accepted: " + MllpTestClient.ackCode(ack));
                }
            }
        }
    }

    private static void report(String what, int count, long startNanos) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        System.out.printf(Locale.ROOT, "%-70s %8.0f messages/s (%d in %.2f s)%n", what, count / seconds, count, seconds);
    }
}
