package io.villa.trainer.service;

import java.time.Duration;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.villa.kafka.AvroKafkaSerializer;
import io.villa.kafka.DeadLetterPublisher;
import io.villa.kafka.KafkaSettings;
import io.villa.kafka.TopicNames;
import io.villa.records.DeadLetter;
import io.villa.records.TrainerEvent;
import io.villa.schemas.Codecs;

/**
 * The trainer's two outputs on Kafka: trainer events (keyed by model id; flushed at once, so a
 * checkpoint is announced before training goes on) and dead letters (kafka-support's publisher).
 */
public final class KafkaSinks implements TrainerEventSink, DeadLetterSink {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaSinks.class);

    private final KafkaProducer<String, TrainerEvent> events;
    private final DeadLetterPublisher deadLetters;
    private final String eventsTopic;

    public KafkaSinks(KafkaSettings settings, TopicNames topics) {
        this.events = new KafkaProducer<>(settings.producerConfig(), new StringSerializer(),
                new AvroKafkaSerializer<>(Codecs.TRAINER_EVENT));
        this.deadLetters = new DeadLetterPublisher(settings, topics.deadLetters());
        this.eventsTopic = topics.trainerEvents();
    }

    @Override
    public void publish(TrainerEvent event) {
        events.send(new ProducerRecord<>(eventsTopic, event.getModelId(), event), (md, e) -> {
            if (e != null) {
                LOG.warn("could not publish trainer event {} at step {}: {}", event.getKind(), event.getStep(), e.toString());
            }
        });
        events.flush();
    }

    @Override
    public void send(DeadLetter letter) {
        deadLetters.publish(letter);
    }

    @Override
    public void close() {
        deadLetters.flush();
        deadLetters.close();
        events.close(Duration.ofSeconds(10));
    }
}
