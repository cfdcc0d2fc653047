package io.villa.producers.hl7;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.util.Terser;
import io.villa.deid.Pseudonyms;
import io.villa.deid.ReportScrubber;
import io.villa.kafka.AvroKafkaSerializer;
import io.villa.kafka.DeadLetterPublisher;
import io.villa.kafka.DeadLetters;
import io.villa.kafka.FatalKafkaException;
import io.villa.kafka.KafkaErrors;
import io.villa.kafka.KafkaSettings;
import io.villa.records.StudyReport;
import io.villa.schemas.AvroCodec;

/**
 * Turns one MLLP frame into de-identified {@link StudyReport}s on the reports topic and answers with the ACK:
 * AA only once Kafka has acknowledged every report of the message (idempotent producer, acks=all), so an ACKed
 * report is never lost; a sender that got no ACK resends, and the join drops the duplicate by its messageKey.
 * A message that cannot be taken gets AR or AE with the reason and a dead letter that holds no PHI (the pseudonym of
 * its MSH-10 as key, no message bytes). If Kafka does not acknowledge, the answer is AE without a dead letter: the
 * message was fine, and the sender should send it again. Kafka's errors are sorted by {@link KafkaErrors}: a report's
 * own (too large) rejects its message with a dead letter; one that may pass (a timeout) asks for the message again;
 * any other (authorisation, a fenced producer) also completes {@link #fatalError()}, on which the listener stops.
 *
 * <p>Nothing of the message is logged but pseudonyms, counts and reasons.
 */
public final class Hl7ReportHandler implements MllpListener.FrameHandler, AutoCloseable {

    /** The dead-letter stage. */
    public static final String STAGE = "produce.hl7";

    public static final AvroCodec<StudyReport> STUDY_REPORT = AvroCodec.of(StudyReport.class);
    /** Room for a report record's fields around its text. */
    static final int RECORD_OVERHEAD_BYTES = 4 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(Hl7ReportHandler.class);

    private final Producer<String, StudyReport> producer;
    private final DeadLetterPublisher deadLetters;
    private final String reportsTopic;
    private final Pseudonyms pseudonyms;
    private final OruReader reader;
    private final Hl7Codec codec = new Hl7Codec();
    private final Charset charset;
    private final String source;
    private final Clock clock;
    private final Duration sendTimeout;
    private final int maxMessageBytes;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong reports = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong unstored = new AtomicLong();
    private final CompletableFuture<FatalKafkaException> fatalError = new CompletableFuture<>();

    private Hl7ReportHandler(Builder builder) {
        Map<String, Object> config = builder.kafka.producerConfig();
        // each ACK waits on its send: do not hold records back for batching unless the site asks to
        if (!builder.kafka.overrides().containsKey(ProducerConfig.LINGER_MS_CONFIG)) {
            config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        }
        config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "villa-" + STAGE);
        int recordLimit = builder.kafka.producerRecordLimit();
        if ((long) builder.maxMessageBytes + RECORD_OVERHEAD_BYTES > recordLimit) {
            throw new IllegalArgumentException("--max-message-bytes " + builder.maxMessageBytes
                    + " does not fit the producer's" + " record limit of " + recordLimit
                    + " bytes (raise max.request.size with --kafka, or lower it)");
        }
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new AvroKafkaSerializer<>(STUDY_REPORT));
        this.deadLetters = new DeadLetterPublisher(builder.kafka, builder.deadLettersTopic);
        this.reportsTopic = builder.reportsTopic;
        this.pseudonyms = builder.pseudonyms;
        this.reader = new OruReader(builder.accessionField);
        this.charset = builder.charset;
        this.source = builder.source;
        this.clock = builder.clock;
        this.sendTimeout = builder.sendTimeout;
        this.maxMessageBytes = builder.maxMessageBytes;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public byte[] handle(MllpFrames.Frame frame, String peer) {
        return handleText(frame, peer).getBytes(charset);
    }

    private String handleText(MllpFrames.Frame frame, String peer) {
        if (frame.oversized()) {
            Hl7Rejection rejection = Hl7Rejection.reject(
                    ErrorCode.APPLICATION_INTERNAL_ERROR,
                    "message of " + frame.length() + " bytes is over the limit of " + maxMessageBytes + " bytes");
            deadLetter(null, peer, rejection);
            return codec.bareAck(rejection.ack(), rejection.getMessage());
        }
        String text = normalize(new String(frame.data(), charset));
        Message message = null;
        try {
            message = codec.parse(text);
            OruMessage oru = reader.read(message);
            String messageKey = pseudonyms.of("message", oru.controlId().strip());
            List<StudyReport> records = records(oru, messageKey);
            if (!store(records, messageKey)) {
                unstored.incrementAndGet();
                return codec.reject(
                        text,
                        message,
                        Hl7Rejection.error(
                                ErrorCode.APPLICATION_INTERNAL_ERROR,
                                "report not stored (Kafka did not acknowledge it): send it again"));
            }
            accepted.incrementAndGet();
            reports.addAndGet(records.size());
            return codec.accept(message);
        } catch (Hl7Rejection rejection) {
            deadLetter(messageKey(text, message), peer, rejection);
            return codec.reject(text, message, rejection);
        } catch (HL7Exception | RuntimeException e) {
            // not a value in sight: HAPI's and our own messages here are about structure
            LOG.error("HL7 message from {} failed: {}", peer, e.getClass().getName());
            Hl7Rejection rejection = Hl7Rejection.error(
                    ErrorCode.APPLICATION_INTERNAL_ERROR,
                    "internal error (" + e.getClass().getSimpleName() + ")");
            deadLetter(messageKey(text, message), peer, rejection);
            return codec.reject(text, message, rejection);
        }
    }

    /** Segments end with CR; senders that use LF or CRLF are common, and HAPI wants CR. */
    private static String normalize(String text) {
        String stripped = text.strip();
        return stripped.indexOf('\n') < 0
                ? stripped
                : stripped.replace("\r\n", "\r").replace('\n', '\r');
    }

    private List<StudyReport> records(OruMessage oru, String messageKey) throws Hl7Rejection {
        ReportScrubber scrubber = ReportScrubber.builder()
                .optNames(oru.names())
                .optIds(oru.ids())
                .optIds(oru.reports().stream().map(OruMessage.Order::accession).toList())
                .optPhones(oru.phones())
                .optAddresses(oru.addresses())
                .build();
        long now = clock.millis();
        List<StudyReport> records = new ArrayList<>();
        for (OruMessage.Order order : oru.reports()) {
            ReportScrubber.Scrubbed scrubbed = scrubber.scrub(order.text());
            if (scrubbed.text().isBlank()) {
                throw Hl7Rejection.error(ErrorCode.REQUIRED_FIELD_MISSING, "report text empty after de-identification");
            }
            String studyKey = pseudonyms.of("accession", order.accession().strip());
            LOG.debug(
                    "message {} study {}: {} report, removed {}",
                    messageKey,
                    studyKey,
                    order.status(),
                    scrubbed.removed());
            records.add(StudyReport.newBuilder()
                    .setStudyKey(studyKey)
                    .setMessageKey(messageKey)
                    .setSource(source)
                    .setStatus(order.status())
                    .setReport(scrubbed.text())
                    .setObservedAt(order.observedAt())
                    .setEventTime(java.time.Instant.ofEpochMilli(now))
                    .build());
        }
        return records;
    }

    /**
     * Sends the message's reports and waits until Kafka has them all; false when it did not acknowledge them.
     *
     * @throws Hl7Rejection when Kafka refused a report for the report's own sake (too large): resending cannot help
     */
    private boolean store(List<StudyReport> records, String messageKey) throws Hl7Rejection {
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        try {
            for (StudyReport record : records) {
                sends.add(producer.send(new ProducerRecord<>(reportsTopic, record.getStudyKey(), record)));
            }
            long deadline = System.nanoTime() + sendTimeout.toNanos();
            for (Future<RecordMetadata> send : sends) {
                send.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            return true;
        } catch (ExecutionException e) {
            refused(messageKey, e.getCause());
        } catch (KafkaException e) {
            refused(messageKey, e);
        } catch (TimeoutException e) {
            LOG.warn(
                    "message {}: Kafka did not acknowledge its report within {} s",
                    messageKey,
                    sendTimeout.toSeconds());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("message {}: interrupted while waiting for Kafka", messageKey);
        } catch (RuntimeException e) {
            LOG.warn(
                    "message {}: cannot send its report: {}",
                    messageKey,
                    e.getClass().getSimpleName());
        }
        return false;
    }

    /** Kafka refused a report: its own fault rejects the message; an error that will not pass stops the listener. */
    private void refused(String messageKey, Throwable error) throws Hl7Rejection {
        String kind = KafkaErrors.unwrap(error).getClass().getSimpleName();
        if (KafkaErrors.isRecordError(error)) {
            throw Hl7Rejection.reject(ErrorCode.APPLICATION_INTERNAL_ERROR, "report refused by Kafka (" + kind + ")");
        }
        LOG.warn("message {}: Kafka refused its report: {}", messageKey, kind);
        if (!KafkaErrors.isRetriable(error)
                && fatalError.complete(new FatalKafkaException("the HL7 listener", error))) {
            LOG.error("HL7 listener: {}", fatalError.join().getMessage());
        }
    }

    /**
     * Completes with the first Kafka error that no message is to blame for and that will not pass by itself; the
     * listener's owner stops the listener on it (every message after it would be answered AE too).
     */
    public CompletableFuture<FatalKafkaException> fatalError() {
        return fatalError;
    }

    /** The pseudonym of the message's MSH-10 where it can be read, else null. */
    private String messageKey(String text, Message parsed) {
        try {
            Segment msh = parsed != null ? (Segment) parsed.get("MSH") : codec.header(text);
            String controlId = msh == null ? null : Terser.get(msh, 10, 0, 1, 1);
            return controlId == null || controlId.isBlank() ? null : pseudonyms.of("message", controlId.strip());
        } catch (HL7Exception | RuntimeException e) {
            return null;
        }
    }

    private void deadLetter(String messageKey, String peer, Hl7Rejection rejection) {
        rejected.incrementAndGet();
        String input = "HL7 message " + (messageKey == null ? "(no readable MSH-10)" : messageKey) + " from " + peer;
        deadLetters.publish(DeadLetters.forInput(
                STAGE, input, messageKey == null ? null : messageKey.getBytes(StandardCharsets.UTF_8), rejection));
    }

    /** Messages ACKed AA so far. */
    public long accepted() {
        return accepted.get();
    }

    /** Reports written (a message may carry several studies). */
    public long reports() {
        return reports.get();
    }

    /** Messages rejected (AE/AR with a dead letter). */
    public long rejected() {
        return rejected.get();
    }

    /** Messages answered AE because Kafka did not acknowledge them. */
    public long unstored() {
        return unstored.get();
    }

    @Override
    public void close() {
        producer.close();
        deadLetters.close();
        LOG.info(
                "HL7 listener: {} messages accepted ({} reports), {} rejected, {} not stored",
                accepted(),
                reports(),
                rejected(),
                unstored());
    }

    /** {@code set*} required, {@code opt*} optional. */
    public static final class Builder {
        private KafkaSettings kafka;
        private Pseudonyms pseudonyms;
        private String reportsTopic;
        private String deadLettersTopic;
        private AccessionField accessionField = AccessionField.OBR_3;
        private String source = "hl7";
        private Charset charset = StandardCharsets.UTF_8;
        private Clock clock = Clock.systemUTC();
        private Duration sendTimeout = Duration.ofSeconds(30);
        private int maxMessageBytes = MllpFrames.DEFAULT_MAX_MESSAGE_BYTES;

        private Builder() {}

        public Builder setKafka(KafkaSettings kafka) {
            this.kafka = Objects.requireNonNull(kafka, "kafka");
            return this;
        }

        public Builder setPseudonyms(Pseudonyms pseudonyms) {
            this.pseudonyms = Objects.requireNonNull(pseudonyms, "pseudonyms");
            return this;
        }

        public Builder setReportsTopic(String topic) {
            this.reportsTopic = requireText(topic, "reportsTopic");
            return this;
        }

        public Builder setDeadLettersTopic(String topic) {
            this.deadLettersTopic = requireText(topic, "deadLettersTopic");
            return this;
        }

        public Builder optAccessionField(AccessionField field) {
            this.accessionField = Objects.requireNonNull(field, "accessionField");
            return this;
        }

        /** The feed's name in each record (default hl7). */
        public Builder optSource(String source) {
            this.source = requireText(source, "source");
            return this;
        }

        /** How the sender encodes its messages (default UTF-8, which reads ASCII too). */
        public Builder optCharset(Charset charset) {
            this.charset = Objects.requireNonNull(charset, "charset");
            return this;
        }

        public Builder optClock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How long a message waits for Kafka's acknowledgement before it is answered AE (default 30 s). */
        public Builder optSendTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("sendTimeout: " + timeout + " is not positive");
            }
            this.sendTimeout = timeout;
            return this;
        }

        /** The listener's frame limit, for the reason an oversized message is rejected with (default 1,000,000). */
        public Builder optMaxMessageBytes(int bytes) {
            this.maxMessageBytes = MllpFrames.checkMaxMessageBytes(bytes);
            return this;
        }

        private static String requireText(String value, String field) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(field + ": blank");
            }
            return value;
        }

        public Hl7ReportHandler build() {
            if (kafka == null) {
                throw new IllegalStateException("kafka: not set");
            }
            if (pseudonyms == null) {
                throw new IllegalStateException("pseudonyms: not set");
            }
            if (reportsTopic == null) {
                throw new IllegalStateException("reportsTopic: not set");
            }
            if (deadLettersTopic == null) {
                throw new IllegalStateException("deadLettersTopic: not set");
            }
            return new Hl7ReportHandler(this);
        }
    }
}
