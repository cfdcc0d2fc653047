package io.villa.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.villa.kafka.KafkaClients;
import io.villa.kafka.KafkaSettings;
import io.villa.producers.docmnist.DocMnistConfig;
import io.villa.producers.docmnist.DocMnistGenerator;
import io.villa.producers.mnist.MnistDigits;
import io.villa.records.ImageReportPair;
import io.villa.records.Split;
import io.villa.schemas.Codecs;

/**
 * Valid DocMNIST pairs (real MNIST digits; four TRAIN pairs, then one VAL) sent to the pairs topic at a steady rate
 * from a background thread until {@link #stop()}, with the idempotent producer of the project's clients: a pair counts
 * as sent once the broker acknowledged it. The producer rides through a broker restart (its sends wait and retry up to
 * the delivery timeout).
 */
final class PairStream implements AutoCloseable {

    private final KafkaProducer<String, ImageReportPair> producer;
    private final String topic;
    private final long nanosPerPair;
    private final Iterator<ImageReportPair> train;
    private final Iterator<ImageReportPair> val;
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger attempted = new AtomicInteger();
    private final Thread thread;
    private volatile boolean stopping;

    private PairStream(KafkaSettings kafka, String topic, long seed, double pairsPerSecond) {
        this.producer = KafkaClients.producer(kafka, Codecs.IMAGE_REPORT_PAIR);
        this.topic = topic;
        this.nanosPerPair = (long) (1e9 / pairsPerSecond);
        DocMnistGenerator generator = new DocMnistGenerator(
                MnistDigits.fromDefaultCache(),
                DocMnistConfig.builder().optSeed(seed).build());
        this.train = generator.records(Split.TRAIN);
        this.val = generator.records(Split.VAL);
        this.thread = new Thread(this::run, "pair-stream-" + topic);
        thread.setDaemon(true);
    }

    static PairStream start(KafkaSettings kafka, String topic, long seed, double pairsPerSecond) {
        PairStream stream = new PairStream(kafka, topic, seed, pairsPerSecond);
        stream.thread.start();
        return stream;
    }

    private void run() {
        long next = System.nanoTime();
        while (!stopping) {
            ImageReportPair pair = attempted.get() % 5 == 4 ? val.next() : train.next();
            attempted.incrementAndGet();
            String id = pair.getPairId();
            producer.send(new ProducerRecord<>(topic, id, pair), (metadata, error) -> {
                if (error == null) {
                    acknowledged.add(id);
                } else {
                    failures.add(id + ": " + error);
                }
            });
            next += nanosPerPair;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Stops sending and waits until every pair sent is acknowledged or failed. */
    void stop() throws InterruptedException {
        stopping = true;
        thread.join(Duration.ofSeconds(30).toMillis());
        producer.flush();
    }

    /** Pairs sent so far, acknowledged or not. */
    int attempted() {
        return attempted.get();
    }

    /** Ids of the pairs the broker acknowledged. */
    Set<String> sent() {
        return Set.copyOf(acknowledged);
    }

    /** Sends that failed (each "id: error"). */
    List<String> failures() {
        return List.copyOf(failures);
    }

    @Override
    public void close() throws InterruptedException {
        stopping = true;
        thread.interrupt();
        thread.join(Duration.ofSeconds(10).toMillis());
        producer.close(Duration.ofSeconds(10));
    }
}
