package io.villa.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import io.villa.kafka.KafkaClients;
import io.villa.kafka.KafkaSettings;
import io.villa.records.RegionAttributePair;
import io.villa.schemas.Codecs;

/**
 * Follows the region-attribute topic read_committed from a background thread while a scenario runs, noting when
 * committed output grew (to time the recovery) and which pairs have a whole-image record (to know when to inject the
 * fault and when the output is complete), and the highest model version out. The verdict comes from a separate reader
 * (RegionOutputs) at the end.
 */
final class CommittedOutputWatcher implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final Thread thread;
    /** System.nanoTime() of each poll that returned committed records. */
    private final List<Long> growth = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> wholeImagePairs = ConcurrentHashMap.newKeySet();
    private volatile long records;
    private volatile long maxModelVersion = -1;
    private volatile Throwable error;
    private volatile boolean stopping;

    private CommittedOutputWatcher(KafkaSettings kafka, String topic) {
        this.consumer = KafkaClients.rawConsumer(kafka, "crash-watcher-" + topic);
        this.topic = topic;
        this.thread = new Thread(this::run, "output-watcher-" + topic);
        thread.setDaemon(true);
    }

    static CommittedOutputWatcher start(KafkaSettings kafka, String topic) {
        CommittedOutputWatcher watcher = new CommittedOutputWatcher(kafka, topic);
        watcher.thread.start();
        return watcher;
    }

    private void run() {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(60)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (!stopping) {
                ConsumerRecords<String, byte[]> batch = consumer.poll(Duration.ofMillis(100));
                if (batch.isEmpty()) {
                    continue;
                }
                growth.add(System.nanoTime());
                for (ConsumerRecord<String, byte[]> r : batch) {
                    RegionAttributePair region = Codecs.REGION_ATTRIBUTE_PAIR.decode(r.value());
                    if (region.getWholeImage()) {
                        wholeImagePairs.add(region.getPairId());
                    }
                    maxModelVersion = Math.max(maxModelVersion, region.getModelVersion());
                }
                records += batch.count();
            }
        } catch (org.apache.kafka.common.errors.WakeupException e) {
            // closing
        } catch (Throwable t) {
            error = t;
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Distinct pairs with a committed whole-image record so far. */
    int pairsDecomposed() {
        assertHealthy();
        return wholeImagePairs.size();
    }

    boolean hasDecomposed(Set<String> pairIds) {
        assertHealthy();
        return wholeImagePairs.containsAll(pairIds);
    }

    long records() {
        return records;
    }

    /** The highest mapping model version of a committed record so far (-1: none). */
    long maxModelVersion() {
        assertHealthy();
        return maxModelVersion;
    }

    /** Nanoseconds from {@code faultNanos} to the first growth of committed output after it, if any. */
    OptionalLong resumedAfter(long faultNanos) {
        synchronized (growth) {
            return growth.stream().mapToLong(Long::longValue).filter(t -> t > faultNanos).map(t -> t - faultNanos).findFirst();
        }
    }

    /** Nanoseconds since the committed output last grew (since the watcher started when it never did). */
    long quietFor() {
        synchronized (growth) {
            return growth.isEmpty() ? Long.MAX_VALUE : System.nanoTime() - growth.get(growth.size() - 1);
        }
    }

    /** Waits until {@code done} holds; false if it did not within {@code timeout}. */
    static boolean await(BooleanSupplier done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }

    private void assertHealthy() {
        if (error != null) {
            throw new AssertionError("the output watcher failed", error);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopping = true;
        consumer.wakeup();
        thread.join(Duration.ofSeconds(15).toMillis());
    }
}
