package io.villa.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.villa.records.DeadLetter;
import io.villa.schemas.Codecs;

/**
 * Writes dead letters to their topic. Logs the stage, the record's key (an id) and the reason only: never report
 * text or pixels.
 */
public final class DeadLetterPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterPublisher.class);

    private final Producer<String, DeadLetter> producer;
    private final String topic;
    private final int maxBytes;
    private final AtomicLong published = new AtomicLong();
    private final AtomicReference<FatalKafkaException> failure = new AtomicReference<>();

    public DeadLetterPublisher(KafkaSettings settings, String topic) {
        this.producer = new KafkaProducer<>(
                settings.producerConfig(), new StringSerializer(), new AvroKafkaSerializer<>(Codecs.DEAD_LETTER));
        this.topic = topic;
        this.maxBytes = settings.producerRecordLimit();
    }

    /**
     * Sends one dead letter; the key is the original record's key where it had one. A letter too big for the
     * producer leaves its original value out (see {@link DeadLetters#fitTo}).
     */
    public void publish(DeadLetter letter) {
        DeadLetter deadLetter = DeadLetters.fitTo(letter, maxBytes);
        String key = deadLetter.getOriginalKey() == null
                ? deadLetter.getInput()
                : StandardCharsets.UTF_8
                        .decode(deadLetter.getOriginalKey().duplicate())
                        .toString();
        LOG.warn(
                "dead letter from {} for {}: {} ({})",
                deadLetter.getStage(),
                key,
                deadLetter.getErrorMessage(),
                deadLetter.getErrorClass());
        producer.send(new ProducerRecord<>(topic, key, deadLetter), (metadata, error) -> {
            if (error != null) {
                LOG.error(
                        "could not write a dead letter from {} to {}: {}",
                        deadLetter.getStage(),
                        topic,
                        KafkaErrors.describe(error));
                if (!KafkaErrors.isRecordError(error)) {
                    failure.compareAndSet(null, new FatalKafkaException("writing dead letters to " + topic, error));
                }
            }
        });
        published.incrementAndGet();
    }

    /**
     * The first error that was not one letter's own (see {@link KafkaErrors}): every letter after it fails too, so
     * a caller stops instead of publishing more. Empty while letters get through.
     */
    public Optional<FatalKafkaException> failure() {
        return Optional.ofNullable(failure.get());
    }

    public long published() {
        return published.get();
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
