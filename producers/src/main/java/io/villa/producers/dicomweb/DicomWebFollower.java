package io.villa.producers.dicomweb;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.flink.annotation.VisibleForTesting;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.villa.kafka.DeadLetters;
import io.villa.kafka.FatalKafkaException;
import io.villa.kafka.KafkaSettings;
import io.villa.records.DeadLetter;
import io.villa.records.StudyImage;
import io.villa.schemas.AvroCodec;
import io.villa.schemas.Codecs;

/**
 * Follows a DICOMweb server: each pass lists the feed's instances with QIDO-RS (one search per modality, paged),
 * and for each instance not in the {@link FeedPosition} fetches its metadata and rendered image (WADO-RS, a few at a
 * time), and writes a {@link StudyImage}, a dead letter or nothing (skipped), together with the changed position
 * shards, in one Kafka transaction per batch. A crash before a commit leaves neither the records nor the position: the
 * next start aborts the open transaction, reads the committed position and does those instances again, so
 * read_committed consumers see each instance exactly once.
 *
 * <p>A request that fails for a reason that may pass (5xx, timeout, server down) marks nothing: the instance is tried
 * again on the next pass. A refusal (4xx, a bad or burned-in instance) is final: a dead letter, keyed by the study key
 * where known, naming the instance by its instance key.
 */
public final class DicomWebFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DicomWebFollower.class);
    public static final String STAGE = "produce.dicomweb";
    static final AvroCodec<StudyImage> STUDY_IMAGE = AvroCodec.of(StudyImage.class);
    /**
     * A batch commits after {@code batchSize} instances or this long, whichever first, and before waiting on a fetch
     * once open this long: far under the producer's transaction timeout (60 s by default), and images reach the join
     * within seconds.
     */
    static final Duration MAX_TRANSACTION = Duration.ofSeconds(10);

    static final Duration MAX_WAIT_IN_TRANSACTION = Duration.ofSeconds(2);

    private final DicomWebClient client;
    private final StudyImageMapper mapper;
    private final KafkaSettings settings;
    private final String imagesTopic;
    private final String deadLettersTopic;
    private final String positionsTopic;
    private final String feedId;
    private final List<String> modalities;
    private final int pageSize;
    private final int batchSize;
    private final int fetchThreads;
    private final Duration pollInterval;
    private final boolean bounded;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final ExecutorService fetchers;
    private final int recordLimit;
    private final short positionsReplication;

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong transactions = new AtomicLong();

    /** Set by {@link #crashAfter}: after this many records sent in total, die inside the open transaction. */
    private long crashAfter = -1;

    private KafkaProducer<String, byte[]> producer;
    private FeedPosition position;
    private boolean inTransaction;
    private long transactionStart;
    private int inBatch;

    private DicomWebFollower(Builder b) {
        this.client = b.client;
        this.mapper = b.mapper;
        this.settings = b.settings;
        this.imagesTopic = b.imagesTopic;
        this.deadLettersTopic = b.deadLettersTopic;
        this.positionsTopic = b.positionsTopic;
        this.feedId = b.feedId;
        this.modalities = b.modalities;
        this.pageSize = b.pageSize;
        this.batchSize = b.batchSize;
        this.fetchThreads = b.fetchThreads;
        this.pollInterval = b.pollInterval;
        this.bounded = b.bounded;
        this.recordLimit = settings.producerRecordLimit();
        this.positionsReplication = b.positionsReplication;
        this.fetchers = Executors.newFixedThreadPool(fetchThreads, r -> {
            Thread t = new Thread(r, "dicomweb-fetch");
            t.setDaemon(true);
            return t;
        });
    }

    public static Builder builder() {
        return new Builder();
    }

    /** What a run did. */
    public record Summary(
            long sent, long deadLettered, long skipped, long retried, long transactions, int positionSize) {}

    /**
     * Runs until {@link #stop()} (or, bounded, until a pass finds nothing new). Throws when Kafka fails: the caller
     * restarts, and the position makes that safe. No Kafka error is a dead letter here: records are checked against
     * the producer's limit before they are sent, and a failed transaction fails its whole batch.
     *
     * @throws FatalKafkaException naming the feed and Kafka's error (a fenced producer: another follower of this feed)
     */
    public Summary run() throws InterruptedException {
        try {
            return follow();
        } catch (KafkaException e) {
            throw new FatalKafkaException("the DICOMweb follower of feed " + feedId, e);
        }
    }

    private Summary follow() throws InterruptedException {
        FeedPositionStore.ensureTopic(settings, positionsTopic, positionsReplication);
        producer = new KafkaProducer<>(
                settings.transactionalProducerConfig("villa-dicomweb-" + feedId),
                new StringSerializer(),
                new ByteArraySerializer());
        producer.initTransactions(); // fences and aborts a predecessor's open transaction
        position = FeedPositionStore.load(settings, positionsTopic, feedId);
        LOG.info("feed {}: {} instances already handled", feedId, position.size());
        int failedPasses = 0;
        while (!stopping.get()) {
            long before = handled();
            try {
                pass();
                failedPasses = 0;
            } catch (DicomWebException e) {
                commit();
                failedPasses++;
                LOG.warn("feed {}: pass stopped: {} (again in {})", feedId, e.getMessage(), pollInterval);
                if (bounded && failedPasses >= 3) {
                    throw new IllegalStateException(
                            "the DICOMweb server failed three passes in a row: " + e.getMessage(), e);
                }
            }
            commit();
            long news = handled() - before;
            if (news > 0) {
                LOG.info(
                        "feed {}: pass done, {} sent, {} dead-lettered, {} skipped, {} to retry; {} handled in all",
                        feedId,
                        sent.get(),
                        deadLettered.get(),
                        skipped.get(),
                        retried.get(),
                        position.size());
            }
            if (bounded && news == 0 && failedPasses == 0) {
                break;
            }
            if (news == 0) {
                sleep(pollInterval);
            }
        }
        return summary();
    }

    public Summary summary() {
        return new Summary(
                sent.get(),
                deadLettered.get(),
                skipped.get(),
                retried.get(),
                transactions.get(),
                position == null ? 0 : position.size());
    }

    /** Asks a running follower to finish its batch, commit and return. */
    public void stop() {
        stopping.set(true);
    }

    private long handled() {
        return sent.get() + deadLettered.get() + skipped.get();
    }

    /**
     * One pass over every search. Pages are asked for until one is empty or brings nothing new in this pass: a server
     * may cap a page below {@code pageSize} (stopping at a short page would then never see past the cap), and one
     * that ignores {@code offset} would otherwise be asked forever.
     */
    private void pass() throws DicomWebException {
        List<String> searches = modalities.isEmpty() ? java.util.Collections.singletonList(null) : modalities;
        java.util.Set<String> listed = new java.util.HashSet<>();
        for (String modality : searches) {
            int offset = 0;
            while (!stopping.get()) {
                List<InstanceRef> page;
                try {
                    page = client.searchInstances(modality, offset, pageSize);
                } catch (DicomWebException e) {
                    throw e;
                } catch (java.io.IOException e) {
                    throw new DicomWebException(
                            "QIDO-RS search: " + e.getClass().getSimpleName(), e);
                }
                boolean news = false;
                for (InstanceRef ref : page) {
                    news |= listed.add(ref.sopInstanceUid());
                }
                if (!news) {
                    break;
                }
                handle(page);
                offset += page.size();
            }
        }
    }

    /** The outcome of fetching one instance. */
    private sealed interface Outcome permits Send, Refuse, Skipped, Retry {}

    private record Send(String instanceKey, StudyImage image) implements Outcome {}

    private record Refuse(String instanceKey, String studyKey, Exception why) implements Outcome {}

    private record Skipped(String instanceKey, String why) implements Outcome {}

    private record Retry(String instanceKey, String why) implements Outcome {}

    private void handle(List<InstanceRef> page) {
        List<CompletableFuture<Outcome>> fetches = new ArrayList<>();
        java.util.Set<String> submitted = new java.util.HashSet<>();
        for (InstanceRef ref : page) {
            String instanceKey = mapper.instanceKey(ref.sopInstanceUid());
            if (!position.contains(instanceKey) && submitted.add(instanceKey)) {
                fetches.add(CompletableFuture.supplyAsync(() -> fetch(ref, instanceKey), fetchers));
            }
        }
        for (CompletableFuture<Outcome> fetch : fetches) {
            if (stopping.get()) {
                fetches.forEach(f -> f.cancel(false));
                return;
            }
            if (inTransaction
                    && !fetch.isDone()
                    && System.nanoTime() - transactionStart > MAX_WAIT_IN_TRANSACTION.toNanos()) {
                commit(); // a slow PACS must not hold a transaction open towards its timeout
            }
            Outcome outcome = fetch.join();
            record(outcome);
        }
    }

    private Outcome fetch(InstanceRef ref, String instanceKey) {
        String[] studyKey = new String[1];
        try {
            DicomJson metadata = client.metadata(ref);
            StudyImageMapper.Plan plan = mapper.plan(metadata, studyKey);
            if (plan instanceof StudyImageMapper.Skip skip) {
                return new Skipped(instanceKey, skip.why());
            }
            StudyImageMapper.Render render = (StudyImageMapper.Render) plan;
            StudyImage image = mapper.toRecord(render, client.renderedPng(ref, render.window()));
            return new Send(instanceKey, image);
        } catch (InstanceRejected e) {
            return new Refuse(instanceKey, studyKey[0], e);
        } catch (DicomWebException e) {
            if (e.permanent()) {
                return new Refuse(
                        instanceKey,
                        studyKey[0],
                        new InstanceRejected(InstanceRejected.Reason.SERVER_REFUSED, e.getMessage(), e));
            }
            return new Retry(instanceKey, e.getMessage());
        } catch (java.io.IOException e) {
            return new Retry(instanceKey, e.getClass().getSimpleName());
        } catch (RuntimeException e) {
            // a bug or a hostile answer: refuse the one instance, name the class only (messages may quote input)
            return new Refuse(
                    instanceKey,
                    studyKey[0],
                    new InstanceRejected(
                            InstanceRejected.Reason.UNRENDERABLE_IMAGE,
                            "unexpected " + e.getClass().getSimpleName()));
        }
    }

    private void record(Outcome outcome) {
        if (outcome instanceof Retry retry) {
            retried.incrementAndGet();
            LOG.warn("instance {}: {} (tried again next pass)", retry.instanceKey(), retry.why());
            return;
        } else if (outcome instanceof Skipped skip) {
            begin();
            position.add(skip.instanceKey());
            skipped.incrementAndGet();
            LOG.debug("instance {} skipped: {}", skip.instanceKey(), skip.why());
        } else if (outcome instanceof Send send) {
            byte[] value = STUDY_IMAGE.encode(send.image());
            if (value.length > recordLimit) {
                record(new Refuse(
                        send.instanceKey(),
                        send.image().getStudyKey(),
                        new InstanceRejected(
                                InstanceRejected.Reason.IMAGE_TOO_LARGE,
                                "the record of " + value.length + " bytes is over the producer's limit of "
                                        + recordLimit + " (lower --max-side)")));
                return;
            }
            begin();
            producer.send(new ProducerRecord<>(imagesTopic, send.image().getStudyKey(), value));
            position.add(send.instanceKey());
            sent.incrementAndGet();
        } else if (outcome instanceof Refuse refuse) {
            begin();
            byte[] key = refuse.studyKey() == null ? null : refuse.studyKey().getBytes(StandardCharsets.UTF_8);
            DeadLetter letter = DeadLetters.fitTo(
                    DeadLetters.forInput(STAGE, "instance " + refuse.instanceKey(), key, refuse.why()), recordLimit);
            producer.send(new ProducerRecord<>(deadLettersTopic, refuse.studyKey(), Codecs.DEAD_LETTER.encode(letter)));
            position.add(refuse.instanceKey());
            deadLettered.incrementAndGet();
            LOG.warn("instance {} dead-lettered: {}", refuse.instanceKey(), letter.getErrorMessage());
        }
        if (crashAfter >= 0 && sent.get() + deadLettered.get() >= crashAfter) {
            throw new SimulatedCrash();
        }
        if (++inBatch >= batchSize || System.nanoTime() - transactionStart > MAX_TRANSACTION.toNanos()) {
            commit();
        }
    }

    private void begin() {
        if (!inTransaction) {
            producer.beginTransaction();
            inTransaction = true;
            transactionStart = System.nanoTime();
            inBatch = 0;
        }
    }

    /** Writes the changed position shards and commits the batch. */
    private void commit() {
        if (!inTransaction) {
            return;
        }
        for (Map.Entry<String, byte[]> shard : position.takeChanges().entrySet()) {
            producer.send(new ProducerRecord<>(positionsTopic, feedId + "/" + shard.getKey(), shard.getValue()));
        }
        producer.commitTransaction();
        inTransaction = false;
        inBatch = 0;
        transactions.incrementAndGet();
    }

    private void sleep(Duration duration) throws InterruptedException {
        long until = System.nanoTime() + duration.toNanos();
        while (!stopping.get() && System.nanoTime() < until) {
            Thread.sleep(Math.min(100, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
        }
    }

    /** Thrown by the crash test hook. */
    public static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash() {
            super("simulated crash inside an open transaction");
        }
    }

    /** Die (leave the transaction open, the producer unclosed) after {@code records} records in all. */
    @VisibleForTesting
    void crashAfter(long records) {
        this.crashAfter = records;
    }

    /** What a crash leaves behind is left; only the fetch threads go. */
    @VisibleForTesting
    void abandon() {
        fetchers.shutdownNow();
    }

    @Override
    public void close() {
        fetchers.shutdownNow();
        if (producer != null) {
            if (inTransaction) {
                try {
                    producer.abortTransaction();
                } catch (RuntimeException e) {
                    LOG.warn(
                            "feed {}: could not abort the open transaction ({})",
                            feedId,
                            e.getClass().getSimpleName());
                }
            }
            producer.close(Duration.ofSeconds(10));
        }
    }

    public static final class Builder {
        private DicomWebClient client;
        private StudyImageMapper mapper;
        private KafkaSettings settings;
        private String imagesTopic;
        private String deadLettersTopic;
        private String positionsTopic = FeedPositionStore.DEFAULT_TOPIC;
        private String feedId = "dicomweb";
        private List<String> modalities = List.of("CR", "DX");
        private int pageSize = 100;
        private int batchSize = 50;
        private int fetchThreads = 4;
        private Duration pollInterval = Duration.ofSeconds(10);
        private boolean bounded;
        private short positionsReplication = 1;

        /** Replication factor of the positions topic when this follower creates it. */
        public Builder optPositionsReplication(short factor) {
            if (factor < 1) {
                throw new IllegalArgumentException("positionsReplication must be at least 1");
            }
            this.positionsReplication = factor;
            return this;
        }

        public Builder setClient(DicomWebClient client) {
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        public Builder setMapper(StudyImageMapper mapper) {
            this.mapper = Objects.requireNonNull(mapper, "mapper");
            return this;
        }

        public Builder setKafka(KafkaSettings settings) {
            this.settings = Objects.requireNonNull(settings, "kafka settings");
            return this;
        }

        public Builder setImagesTopic(String topic) {
            this.imagesTopic = nonBlank(topic, "imagesTopic");
            return this;
        }

        public Builder setDeadLettersTopic(String topic) {
            this.deadLettersTopic = nonBlank(topic, "deadLettersTopic");
            return this;
        }

        public Builder optPositionsTopic(String topic) {
            this.positionsTopic = nonBlank(topic, "positionsTopic");
            return this;
        }

        /** Names the feed: its position key, its transactional id. Letters, digits, '.', '_', '-'. */
        public Builder optFeedId(String feedId) {
            if (feedId == null || !feedId.matches("[A-Za-z0-9._-]{1,100}")) {
                throw new IllegalArgumentException("feedId: 1-100 letters, digits, '.', '_' or '-'");
            }
            this.feedId = feedId;
            return this;
        }

        /** The modalities to search for, one QIDO-RS search each; empty: one search for all. */
        public Builder optModalities(List<String> modalities) {
            this.modalities = List.copyOf(modalities);
            return this;
        }

        public Builder optPageSize(int pageSize) {
            this.pageSize = positive(pageSize, "pageSize");
            return this;
        }

        public Builder optBatchSize(int batchSize) {
            this.batchSize = positive(batchSize, "batchSize");
            return this;
        }

        public Builder optFetchThreads(int threads) {
            this.fetchThreads = positive(threads, "fetchThreads");
            return this;
        }

        public Builder optPollInterval(Duration interval) {
            if (interval == null || interval.isNegative()) {
                throw new IllegalArgumentException("pollInterval must not be negative");
            }
            this.pollInterval = interval;
            return this;
        }

        public Builder optBounded(boolean bounded) {
            this.bounded = bounded;
            return this;
        }

        public DicomWebFollower build() {
            if (client == null) {
                throw new IllegalStateException("client not set");
            }
            if (mapper == null) {
                throw new IllegalStateException("mapper not set");
            }
            if (settings == null) {
                throw new IllegalStateException("kafka settings not set");
            }
            if (imagesTopic == null) {
                throw new IllegalStateException("imagesTopic not set");
            }
            if (deadLettersTopic == null) {
                throw new IllegalStateException("deadLettersTopic not set");
            }
            return new DicomWebFollower(this);
        }

        private static int positive(int value, String name) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return value;
        }

        private static String nonBlank(String value, String name) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(name + " must not be blank");
            }
            return value;
        }
    }
}
