package io.villa.trainer.service;

import java.time.Duration;
import java.util.Properties;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.villa.records.DeadLetter;
import io.villa.records.TrainerEvent;
import io.villa.schemas.Codecs;

/**
 * The trainer's two outputs on Kafka: trainer events (keyed by model id) and dead letters (keyed by
 * the original key), both Avro single-object encoded with the shared codecs. One idempotent
 * producer serves both; events are flushed at once so a checkpoint is announced before training goes
 * on.
 */
public final class KafkaSinks implements TrainerEventSink, DeadLetterSink {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaSinks.class);

    private final KafkaProducer<byte[], byte[]> producer;
    private final String eventsTopic;
    private final String deadLetterTopic;

    public KafkaSinks(Properties clientConfig, String eventsTopic, String deadLetterTopic) {
        Properties p = new Properties();
        p.putAll(clientConfig);
        p.remove("group.id");
        p.remove("isolation.level");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producer = new KafkaProducer<>(p);
        this.eventsTopic = eventsTopic;
        this.deadLetterTopic = deadLetterTopic;
    }

    @Override
    public void publish(TrainerEvent event) {
        byte[] key = event.getModelId().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        producer.send(new ProducerRecord<>(eventsTopic, key, Codecs.TRAINER_EVENT.encode(event)), (md, e) -> {
            if (e != null) {
                LOG.warn("could not publish trainer event {} at step {}: {}", event.getKind(), event.getStep(), e.toString());
            }
        });
        producer.flush();
    }

    @Override
    public void send(DeadLetter letter) {
        byte[] key = null;
        if (letter.getOriginalKey() != null) {
            var b = letter.getOriginalKey().duplicate();
            key = new byte[b.remaining()];
            b.get(key);
        }
        producer.send(new ProducerRecord<>(deadLetterTopic, key, Codecs.DEAD_LETTER.encode(letter)), (md, e) -> {
            if (e != null) {
                LOG.error("could not write dead letter for {}@{}: {}", letter.getSourceTopic(), letter.getSourceOffset(), e.toString());
            }
        });
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
