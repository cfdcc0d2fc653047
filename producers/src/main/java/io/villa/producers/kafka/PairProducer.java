package io.villa.producers.kafka;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.flink.annotation.VisibleForTesting;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.villa.kafka.DeadLetterPublisher;
import io.villa.kafka.DeadLetters;
import io.villa.kafka.FatalKafkaException;
import io.villa.kafka.KafkaErrors;
import io.villa.kafka.KafkaSettings;
import io.villa.producers.ingest.IngestFailure;
import io.villa.records.DeadLetter;
import io.villa.schemas.Codecs;

/**
 * Sends attempts to Kafka: records to the pairs topic (key = pair id, idempotent producer from {@link KafkaSettings}),
 * failed inputs to the dead-letter topic, paced by an optional rate limit, with a progress bar and a summary.
 * A record that Kafka refuses for its own sake (e.g. too large) is a failure too: dead-lettered with its bytes, never
 * dropped. Any other Kafka error (authorisation, a fenced producer, a delivery timeout: see {@link KafkaErrors}) would
 * fail every record after it: the run stops with a {@link FatalKafkaException} and writes no dead letter for it.
 */
public final class PairProducer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PairProducer.class);
    /** Images are larger than Kafka's default 1 MB request limit allows; the topic's own limit still applies. */
    static final int MAX_REQUEST_BYTES = 8 * 1024 * 1024;

    private static final int MAX_DEAD_LETTER_VALUE_BYTES = 512 * 1024;

    private final Producer<String, byte[]> producer;
    private final DeadLetterPublisher deadLetters;
    private final String topic;
    private final String stage;
    /** The first error no record is to blame for; once set, nothing more is sent. */
    private final AtomicReference<Throwable> fatal = new AtomicReference<>();

    /**
     * @param stage name of this producer in dead letters, e.g. {@code produce.folder}
     */
    public PairProducer(KafkaSettings settings, String pairsTopic, String deadLetterTopic, String stage) {
        // values are encoded here (once), so that the summary counts their bytes and a refused one can be dead-lettered
        this(
                new KafkaProducer<>(producerConfig(settings, stage), new StringSerializer(), new ByteArraySerializer()),
                new DeadLetterPublisher(settings, deadLetterTopic),
                pairsTopic,
                stage);
    }

    /** With a producer made elsewhere: how a test hands it one that a real broker has put in a fatal state. */
    @VisibleForTesting
    PairProducer(Producer<String, byte[]> producer, DeadLetterPublisher deadLetters, String pairsTopic, String stage) {
        this.producer = producer;
        this.deadLetters = deadLetters;
        this.topic = pairsTopic;
        this.stage = stage;
    }

    private static Map<String, Object> producerConfig(KafkaSettings settings, String stage) {
        Map<String, Object> config = settings.producerConfig();
        config.putIfAbsent(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_REQUEST_BYTES);
        config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "villa-" + stage);
        return config;
    }

    /**
     * Sends every attempt, then flushes and waits for all acknowledgements; the summary is exact on return.
     *
     * @throws FatalKafkaException when Kafka fails in a way no record is to blame for; the attempts after it are not sent
     */
    public ProduceSummary run(Iterator<Attempt> attempts, RunOptions options) {
        ProduceSummary summary = new ProduceSummary();
        RateLimiter limiter = new RateLimiter(options.ratePerSecond());
        long started = System.nanoTime();
        try (Progress progress = Progress.start(options.showProgress(), options.taskName(), options.expectedTotal())) {
            while (fatal.get() == null && deadLetters.failure().isEmpty() && attempts.hasNext()) {
                Attempt attempt = attempts.next();
                limiter.acquire();
                if (attempt.failure() != null) {
                    failInput(summary, attempt.input(), attempt.failure());
                } else {
                    send(summary, attempt);
                }
                progress.step(summary);
            }
            producer.flush();
            deadLetters.flush();
        }
        summary.finish(System.nanoTime() - started);
        Throwable error = fatal.get();
        if (error != null) {
            LOG.error("{}: stopped after {} records sent: {}", stage, summary.sent(), KafkaErrors.describe(error));
            throw new FatalKafkaException(stage, error);
        }
        deadLetters.failure().ifPresent(e -> {
            throw e;
        });
        LOG.info("{}: sent {} records, {} inputs failed", stage, summary.sent(), summary.failed());
        return summary;
    }

    private void send(ProduceSummary summary, Attempt attempt) {
        String key = attempt.pair().getPairId();
        byte[] value = Codecs.IMAGE_REPORT_PAIR.encode(attempt.pair());
        try {
            producer.send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
                if (error == null) {
                    summary.recordSent(value.length);
                } else {
                    failDelivery(summary, key, value, error);
                }
            });
        } catch (KafkaException error) {
            failDelivery(summary, key, value, error);
        }
    }

    /** The record's own error: a dead letter. Any other: remembered, and the run stops before the next send. */
    private void failDelivery(ProduceSummary summary, String key, byte[] value, Exception error) {
        if (KafkaErrors.isRecordError(error)) {
            summary.recordDeliveryFailure(key, error);
            deadLetters.publish(deliveryFailure(key, value, error));
        } else {
            fatal.compareAndSet(null, error);
        }
    }

    private void failInput(ProduceSummary summary, String input, IngestFailure failure) {
        summary.recordFailure(input, failure);
        deadLetters.publish(DeadLetters.forInput(stage, input, input.getBytes(StandardCharsets.UTF_8), failure));
    }

    private DeadLetter deliveryFailure(String key, byte[] value, Exception error) {
        DeadLetter letter = DeadLetters.forInput(stage, key, key.getBytes(StandardCharsets.UTF_8), error);
        letter.setSourceTopic(topic);
        // a record refused for its size would make its dead letter too large as well: keep the bytes of small ones only
        letter.setOriginalValue(value.length <= MAX_DEAD_LETTER_VALUE_BYTES ? ByteBuffer.wrap(value) : null);
        letter.setTime(Instant.now());
        return letter;
    }

    @Override
    public void close() {
        producer.close();
        deadLetters.close();
    }

    /**
     * @param ratePerSecond most attempts per second (0 = as fast as possible)
     * @param expectedTotal attempts expected, for the progress bar (-1 = unknown)
     */
    public record RunOptions(String taskName, double ratePerSecond, long expectedTotal, boolean showProgress) {}
}
