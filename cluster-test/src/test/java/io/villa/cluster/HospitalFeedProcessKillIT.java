package io.villa.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TransactionalIdNotFoundException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import io.villa.cli.hospital.PhiScan;
import io.villa.deid.Pseudonyms;
import io.villa.flink.join.JoinJob;
import io.villa.flink.join.JoinOptions;
import io.villa.flink.join.StudyJoin;
import io.villa.kafka.FeedTopicNames;
import io.villa.kafka.KafkaSettings;
import io.villa.kafka.TopicAdmin;
import io.villa.kafka.TopicNames;
import io.villa.kafka.embedded.EmbeddedKafkaBroker;
import io.villa.producers.dicomweb.Dcmtk;
import io.villa.producers.dicomweb.OrthancProcess;
import io.villa.producers.hl7.Hl7ReportHandler;
import io.villa.producers.simulator.MllpSender;
import io.villa.records.ImageReportPair;
import io.villa.records.StudyImage;
import io.villa.schemas.AvroCodec;
import io.villa.schemas.Codecs;
import picocli.CommandLine;

/**
 * The hospital feed's producers killed mid-feed, each a separate OS process: {@code villa produce dicomweb} following
 * a real Orthanc (DICOMweb) that holds DCMTK-written instances, and {@code villa produce hl7} taking ORU^R01 messages
 * from a sender that resends what got no AA. Each is SIGKILLed mid-feed and the same command started again; then
 * independent read_committed consumers check the feed topics and, after the join job (bounded, a MiniCluster in this
 * JVM) has run over them, the pair topic.
 *
 * <ul>
 * <li>The follower is killed inside an open Kafka transaction (records of it in the images topic, not yet committed,
 * seen from the partition's high watermark against its last stable offset). The same command again fences and aborts
 * that transaction, reads the position committed with the images, and sends exactly the instances not committed:
 * every instance once by its instance key, none missing.</li>
 * <li>The listener is killed twice while the sender is mid-feed: once at whatever it is doing, once right after the
 * ACK of a stored message was lost on its way (a relay between sender and listener drops it: the moment between
 * Kafka's acknowledgement and the ACK). The message in flight at each kill gets no AA and is sent again once the
 * listener is back on the same port. Every message is on the reports topic; a second copy only of a message sent again
 * after a kill, at most one per kill, and always of the one whose ACK was lost.</li>
 * <li>The join drops those resends by their message key: exactly one pair per image, by pair id, none missing, no dead
 * letters.</li>
 * </ul>
 */
@Tag(FaultSuite.TAG)
class HospitalFeedProcessKillIT {

    private static final Logger LOG = LoggerFactory.getLogger(HospitalFeedProcessKillIT.class);
    private static final String SCENARIO = "kill-hospital-feeds";
    /** 60 studies: 90 instances (every odd study has two) and 60 reports. */
    private static final int STUDIES = 60;
    /**
     * Instances per Kafka transaction of the follower: with one fetch thread a transaction stays open over many fetches,
     * a wide window for the kill.
     */
    private static final int BATCH = 20;

    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final List<String> JVM = List.of("-Xmx384m");
    /** The follower's Kafka transactional id: villa-dicomweb-FEED-ID, the feed id being the default. */
    private static final String FOLLOWER_TRANSACTIONAL_ID = "villa-dicomweb-dicomweb";

    private static final AvroCodec<StudyImage> STUDY_IMAGE = AvroCodec.of(StudyImage.class);
    private static final Pattern FOLLOWER_SUMMARY = Pattern.compile(
            "sent (\\d+), dead-lettered (\\d+), skipped (\\d+), left for a later try (\\d+); (\\d+) instances handled in all");

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void killedFollowerAndListenerStartedAgainLoseAndDuplicateNothing() throws Exception {
        assumeTrue(
                OrthancProcess.available(),
                "Orthanc with its DICOMweb plugin is not installed (Debian: orthanc orthanc-dicomweb)");
        assumeTrue(Dcmtk.available(), "DCMTK is not installed (Debian: dcmtk)");
        Path work = FaultSuite.workDir(SCENARIO);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Path keyFile =
                Files.writeString(work.resolve("pseudonym.key"), HexFormat.of().formatHex(key));
        Pseudonyms pseudonyms = Pseudonyms.withKey(key);
        MadeUpStudies studies = MadeUpStudies.write(STUDIES, Files.createDirectories(work.resolve("dicom")));
        TopicNames topics = TopicNames.defaults();
        FeedTopicNames feed = FeedTopicNames.defaults();

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start().createTopics(topics, 1);
                OrthancProcess orthanc = OrthancProcess.start(work.resolve("pacs"), false);
                Admin admin = Admin.create(broker.settings().adminConfig())) {
            KafkaSettings kafka = broker.settings();
            try (TopicAdmin topicAdmin = new TopicAdmin(kafka)) {
                topicAdmin.createIfMissing(feed.all(), 1, (short) 1);
            }
            studies.instances().forEach(i -> orthanc.upload(i.file()));
            List<String> common =
                    List.of("--bootstrap", broker.bootstrapServers(), "--pseudonym-key-file", keyFile.toString());

            String images = killFollower(work, admin, kafka, feed, orthanc, common, studies.instanceKeys(pseudonyms));
            String reports = killListener(work, kafka, feed, common, studies, pseudonyms);
            String pairs = join(work, broker, kafka, topics, studies.pairIds(pseudonyms));
            LOG.info("hospital feeds killed and started again: {}; {}; {}", images, reports, pairs);
            System.out.println("hospital-feed kills: " + images + "; " + reports + "; " + pairs);
        }
    }

    /**
     * {@code villa produce dicomweb --bounded} killed inside an open transaction, the same command again until caught
     * up; every instance exactly once. Returns the figures for the log.
     */
    private static String killFollower(
            Path work,
            Admin admin,
            KafkaSettings kafka,
            FeedTopicNames feed,
            OrthancProcess orthanc,
            List<String> common,
            List<String> instanceKeys)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(
                "produce",
                "dicomweb",
                "--url",
                orthanc.dicomWebUrl(),
                "--modality",
                "DX",
                "--fetch-threads",
                "1",
                "--batch",
                String.valueOf(BATCH),
                "--poll-interval",
                "0.2",
                "--bounded"));
        command.addAll(common);
        TopicPartition partition = new TopicPartition(feed.studyImages(), 0);
        long[] openAtCheck = new long[1];
        try (ChildJvm first = ChildJvm.villa("dicomweb-1", JVM, command, work)) {
            // a batch committed, and the next one open (not yet committing) with records in it and several fetches of
            // this batch and of the feed still to go
            boolean inTransaction = CommittedOutputWatcher.await(
                    () -> {
                        first.assertAlive();
                        long stable = endOffset(admin, partition, IsolationLevel.READ_COMMITTED);
                        long high = endOffset(admin, partition, IsolationLevel.READ_UNCOMMITTED);
                        boolean open = ongoing(admin, FOLLOWER_TRANSACTIONAL_ID);
                        // the same last stable offset after: no commit in between, so high - stable is the open
                        // transaction's
                        if (endOffset(admin, partition, IsolationLevel.READ_COMMITTED) != stable) {
                            return false;
                        }
                        openAtCheck[0] = high - stable;
                        return open
                                && stable >= BATCH
                                && high - stable >= 2
                                && high - stable <= BATCH - 6
                                && high <= instanceKeys.size() - 6;
                    },
                    WAIT);
            long checked = System.nanoTime();
            if (inTransaction) {
                first.kill();
            }
            LOG.info("check to kill: {} ms", (System.nanoTime() - checked) / 1_000_000);
            assertThat(inTransaction)
                    .as(
                            "the first follower had committed a batch and had the next one open; its log:\n%s",
                            first.tail(40))
                    .isTrue();
        }
        // the killed run's transaction stays open until the next run fences it: read_committed stops before it, and
        // what
        // lies past the last stable offset is what the killed run wrote in it
        int committedAtKill =
                RegionOutputs.readCommitted(kafka, feed.studyImages()).size();
        long openAtKill = endOffset(admin, partition, IsolationLevel.READ_UNCOMMITTED)
                - endOffset(admin, partition, IsolationLevel.READ_COMMITTED);
        LOG.info(
                "villa produce dicomweb killed with {} images committed and {} in its open transaction ({} at the last check)",
                committedAtKill,
                openAtKill,
                openAtCheck[0]);

        int secondSent;
        try (ChildJvm second = ChildJvm.villa("dicomweb-2", JVM, command, work)) {
            Integer exit = second.await(WAIT);
            assertThat(exit)
                    .as(
                            "exit code of the second follower (bounded: ends once caught up); its log:\n%s",
                            second.tail(40))
                    .isEqualTo(0);
            Matcher summary = FOLLOWER_SUMMARY.matcher(second.output());
            assertThat(summary.find())
                    .as("the second follower's summary line; its log:\n%s", second.tail(20))
                    .isTrue();
            secondSent = Integer.parseInt(summary.group(1));
            assertThat(Integer.parseInt(summary.group(5)))
                    .as("instances handled in all, by the position")
                    .isEqualTo(instanceKeys.size());
        }

        List<ConsumerRecord<String, byte[]>> committed = RegionOutputs.readCommitted(kafka, feed.studyImages());
        int aborted = PhiScan.readAll(kafka, feed.studyImages(), false).size() - committed.size();
        Map<String, Long> copies = new TreeMap<>();
        for (ConsumerRecord<String, byte[]> record : committed) {
            StudyImage image = STUDY_IMAGE.decode(record.value());
            assertThat(record.key())
                    .as("key of an image record")
                    .isEqualTo(image.getStudyKey().toString());
            copies.merge(image.getInstanceKey().toString(), 1L, Long::sum);
        }
        String figures = String.format(
                "images: %d instances, killed with %d committed and %d in its open transaction; the second "
                        + "run sent %d; committed %d, distinct %d, aborted %d",
                instanceKeys.size(), committedAtKill, openAtKill, secondSent, committed.size(), copies.size(), aborted);
        LOG.info(figures);
        assertThat(committedAtKill)
                .as("images committed before the kill: mid-feed")
                .isBetween(1, instanceKeys.size() - 1);
        assertThat(copies.keySet())
                .as("instance keys on the images topic (read_committed)")
                .containsExactlyInAnyOrderElementsOf(instanceKeys);
        assertThat(copies.entrySet().stream()
                        .filter(e -> e.getValue() > 1)
                        .map(Map.Entry::getKey)
                        .toList())
                .as("instances sent more than once")
                .isEmpty();
        assertThat(secondSent)
                .as("instances the second run sent: exactly those not committed before the kill")
                .isEqualTo(instanceKeys.size() - committedAtKill);
        if (openAtKill == 0) {
            // the batch committed in the few ms between the check and the kill: a kill between transactions, which
            // the assertions above cover as well; nothing was left to abort
            LOG.warn("the kill came just after a commit, not inside a transaction: nothing to abort this time");
        }
        assertThat((long) aborted)
                .as("records aborted: those of the killed run's open transaction")
                .isEqualTo(openAtKill);
        return figures;
    }

    /**
     * {@code villa produce hl7} killed twice while a sender sends one message at a time through {@link AckDroppingRelay},
     * the same command again on the same port each time; the sender resends what got no AA. The first kill comes at
     * whatever the listener is doing; the second right after the ACK of a stored message was lost (the relay drops it),
     * so that message is stored twice. Every message stored; a second copy only of a message sent again after a kill,
     * at most one per kill. Returns the figures for the log.
     */
    private static String killListener(
            Path work,
            KafkaSettings kafka,
            FeedTopicNames feed,
            List<String> common,
            MadeUpStudies studies,
            Pseudonyms pseudonyms)
            throws Exception {
        int port = freePort();
        List<String> command =
                new ArrayList<>(List.of("produce", "hl7", "--listen", String.valueOf(port), "--bind", "127.0.0.1"));
        command.addAll(common);
        List<Message> messages = parse(studies);
        int[] attempts = new int[studies.studies() + 1];
        long[] ackedAtKill = new long[2];
        ExecutorService sending = Executors.newSingleThreadExecutor();
        try (AckDroppingRelay relay = AckDroppingRelay.start(port);
                MllpSender sender =
                        new MllpSender("127.0.0.1", relay.port(), 12, Duration.ofMillis(100), Duration.ofSeconds(10))) {
            ChildJvm listener = ChildJvm.villa("hl7-1", JVM, command, work);
            try {
                awaitListening(listener);
                Future<?> feeding = sending.submit(() -> {
                    for (int s = 1; s <= studies.studies(); s++) {
                        long before = sender.sent();
                        if (!sender.send(messages.get(s - 1))) {
                            throw new AssertionError("report " + s + " not acknowledged after "
                                    + (sender.sent() - before) + " attempts: " + sender.lastFailure());
                        }
                        attempts[s] = (int) (sender.sent() - before);
                    }
                    return null;
                });
                // the first kill: at whatever the listener is doing
                awaitAcknowledged(sender, feeding, listener, studies.studies() / 3);
                listener.kill();
                ackedAtKill[0] = sender.acknowledged();
                listener.close();
                listener = ChildJvm.villa("hl7-2", JVM, command, work);
                // the second: the ACK of the message in flight lost, its report stored
                awaitAcknowledged(sender, feeding, listener, 2 * studies.studies() / 3);
                relay.dropNextAnswer();
                assertThat(relay.awaitDropped(WAIT))
                        .as("an ACK of the second listener lost")
                        .isTrue();
                listener.kill();
                ackedAtKill[1] = sender.acknowledged();
                listener.close();
                listener = ChildJvm.villa("hl7-3", JVM, command, work);
                LOG.info(
                        "villa produce hl7 killed with {} and {} of {} reports acknowledged",
                        ackedAtKill[0],
                        ackedAtKill[1],
                        studies.studies());
                try {
                    feeding.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    throw new AssertionError(
                            "the sender did not finish; the last listener's log:\n" + listener.tail(40), e);
                }
            } finally {
                listener.close();
            }
        } finally {
            sending.shutdownNow();
        }

        Map<String, Long> copies = RegionOutputs.readCommitted(kafka, feed.studyReports()).stream()
                .map(r -> Hl7ReportHandler.STUDY_REPORT
                        .decode(r.value())
                        .getMessageKey()
                        .toString())
                .collect(Collectors.groupingBy(k -> k, TreeMap::new, Collectors.counting()));
        Map<String, Integer> resent = new TreeMap<>();
        for (int s = 1; s <= studies.studies(); s++) {
            if (attempts[s] > 1) {
                resent.put(MadeUpStudies.messageKey(pseudonyms, s), attempts[s]);
            }
        }
        Map<String, Long> duplicated = copies.entrySet().stream()
                .filter(e -> e.getValue() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        String figures = String.format(
                "reports: %d messages, killed with %d and %d acknowledged; %d messages sent again (%s "
                        + "attempts); %d records stored, %d distinct message keys, %d with a second copy",
                studies.studies(),
                ackedAtKill[0],
                ackedAtKill[1],
                resent.size(),
                resent.values(),
                copies.values().stream().mapToLong(Long::longValue).sum(),
                copies.size(),
                duplicated.size());
        LOG.info(figures);
        assertThat(copies.keySet())
                .as("message keys on the reports topic (read_committed)")
                .containsExactlyInAnyOrderElementsOf(studies.messageKeys(pseudonyms));
        assertThat(resent)
                .as("messages a kill left without an AA: one per kill")
                .hasSize(2);
        assertThat(duplicated.keySet())
                .as("messages stored twice: only ones whose ACK a kill swallowed, the lost ACK's at least")
                .isSubsetOf(resent.keySet())
                .isNotEmpty();
        assertThat(duplicated.values())
                .as("copies of a message stored more than once")
                .allMatch(c -> c == 2);
        return figures;
    }

    /** Waits until the sender has {@code acknowledged} ACKs, the feed and the listener still running. */
    private static void awaitAcknowledged(MllpSender sender, Future<?> feeding, ChildJvm listener, int acknowledged)
            throws InterruptedException {
        boolean reached = CommittedOutputWatcher.await(
                () -> {
                    listener.assertAlive();
                    return sender.acknowledged() >= acknowledged || feeding.isDone();
                },
                WAIT);
        assertThat(reached && !feeding.isDone())
                .as(
                        "the sender mid-feed with %d acknowledged (%d now); %s's log:\n%s",
                        acknowledged, sender.acknowledged(), listener.name(), listener.tail(40))
                .isTrue();
    }

    /** The join job, bounded, in a MiniCluster in this JVM: exactly one pair per image, by pair id. */
    private static String join(
            Path work, EmbeddedKafkaBroker broker, KafkaSettings kafka, TopicNames topics, List<String> expectedPairIds)
            throws Exception {
        JoinOptions options = new JoinOptions();
        new CommandLine(options)
                .parseArgs(
                        "--bootstrap",
                        broker.bootstrapServers(),
                        "--bounded",
                        "--ttl",
                        "10m",
                        "--group-id",
                        SCENARIO + "-join",
                        "--transactional-id-prefix",
                        SCENARIO + "-join",
                        "--checkpoint-interval",
                        "500",
                        "--checkpoint-dir",
                        work.resolve("join-checkpoints").toUri().toString(),
                        "--resume",
                        "none");
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(JoinJob.localConfiguration(options));
        JoinJob.build(env, options);
        env.execute(JoinJob.JOB_NAME);

        List<ConsumerRecord<String, byte[]>> records = RegionOutputs.readCommitted(kafka, topics.imageReportPairs());
        List<String> ids = records.stream().map(ConsumerRecord::key).toList();
        for (ConsumerRecord<String, byte[]> record : records) {
            ImageReportPair pair = Codecs.IMAGE_REPORT_PAIR.decode(record.value());
            assertThat(pair.getPairId()).isEqualTo(record.key());
            assertThat(pair.getSource()).isEqualTo(StudyJoin.SOURCE);
        }
        int deadLetters =
                RegionOutputs.readCommitted(kafka, topics.deadLetters()).size();
        String figures = String.format(
                "pairs: %d expected, %d committed, %d distinct; %d dead letters",
                expectedPairIds.size(), ids.size(), Set.copyOf(ids).size(), deadLetters);
        LOG.info(figures);
        assertThat(ids)
                .as("pair ids on the pair topic (read_committed)")
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(expectedPairIds);
        assertThat(deadLetters)
                .as("dead letters (of the follower and of the join)")
                .isZero();
        return figures;
    }

    /** The reports as HAPI messages, for the sender (which sends a message object and resends it unchanged). */
    private static List<Message> parse(MadeUpStudies studies) throws Exception {
        // not closed: closing a context without an executor of its own would shut down HAPI's shared one
        HapiContext hapi = new DefaultHapiContext();
        hapi.setValidationContext(ValidationContextFactory.noValidation());
        List<Message> messages = new ArrayList<>();
        for (int s = 1; s <= studies.studies(); s++) {
            messages.add(hapi.getPipeParser().parse(studies.report(s)));
        }
        return messages;
    }

    private static void awaitListening(ChildJvm listener) throws InterruptedException {
        boolean listening = CommittedOutputWatcher.await(
                () -> {
                    listener.assertAlive();
                    return listener.output().contains("HL7 listener on");
                },
                WAIT);
        assertThat(listening)
                .as("%s listening; its log:\n%s", listener.name(), listener.tail(40))
                .isTrue();
    }

    /** The partition's end offset as a consumer of that isolation level sees it: the last stable offset or the high watermark. */
    private static long endOffset(Admin admin, TopicPartition partition, IsolationLevel isolation) {
        try {
            return admin.listOffsets(Map.of(partition, OffsetSpec.latest()), new ListOffsetsOptions(isolation))
                    .partitionResult(partition)
                    .get(10, TimeUnit.SECONDS)
                    .offset();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot list the end offsets of " + partition, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Whether the transactional producer's transaction is open (records may come; no commit or abort begun). */
    private static boolean ongoing(Admin admin, String transactionalId) {
        try {
            return admin.describeTransactions(List.of(transactionalId))
                            .description(transactionalId)
                            .get(10, TimeUnit.SECONDS)
                            .state()
                    == TransactionState.ONGOING;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TransactionalIdNotFoundException) {
                return false; // the producer has not started yet
            }
            throw new IllegalStateException("cannot describe the transaction of " + transactionalId, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot describe the transaction of " + transactionalId, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
