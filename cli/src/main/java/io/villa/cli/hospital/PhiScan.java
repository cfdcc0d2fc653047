package io.villa.cli.hospital;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import io.villa.kafka.KafkaSettings;

/**
 * Searches for planted PHI (a simulator's made-up names, ids, dates, numbers, UIDs) where none may be: the raw bytes
 * of every record of every topic (keys, values, headers; read uncommitted, so aborted transactions count too), files
 * (a broker's log directory) and text (log lines). Case-insensitive; values shorter than {@value #MIN_CHARS}
 * characters are not searched (they would match by chance) and are counted apart. Says only which planted value was
 * found where, never the surrounding bytes.
 */
public final class PhiScan {

    public static final int MIN_CHARS = 4;

    /** What a topic scan read and found: hits as "topic/partition@offset: value". */
    public record Result(long records, List<String> hits) {
    }

    private final Map<String, List<String>> byPrefix = new HashMap<>();

    private PhiScan(Collection<String> values) {
        for (String v : values) {
            String value = v.strip().toLowerCase(Locale.ROOT);
            if (value.length() >= MIN_CHARS) {
                byPrefix.computeIfAbsent(value.substring(0, MIN_CHARS), k -> new ArrayList<>()).add(value);
            }
        }
    }

    /** The planted values a scan can search (at least {@value #MIN_CHARS} characters). */
    public static long searchable(Collection<String> values) {
        return values.stream().map(String::strip).filter(v -> v.length() >= MIN_CHARS).distinct().count();
    }

    /** The planted values found in {@code text}, each once. */
    public static Set<String> find(String text, Collection<String> values) {
        return new PhiScan(values).in(text);
    }

    private Set<String> in(String text) {
        Set<String> hits = new LinkedHashSet<>();
        String lower = text.toLowerCase(Locale.ROOT);
        for (int i = 0; i + MIN_CHARS <= lower.length(); i++) {
            List<String> candidates = byPrefix.get(lower.substring(i, i + MIN_CHARS));
            if (candidates != null) {
                for (String value : candidates) {
                    if (lower.startsWith(value, i)) {
                        hits.add(value);
                    }
                }
            }
        }
        return hits;
    }

    private Set<String> in(byte[] bytes) {
        return bytes == null ? Set.of() : in(new String(bytes, StandardCharsets.ISO_8859_1));
    }

    /** Every record of every topic on the cluster, internal ones included, read uncommitted. */
    public static Result topics(KafkaSettings kafka, Collection<String> values) {
        PhiScan scan = new PhiScan(values);
        List<String> hits = new ArrayList<>();
        long[] records = {0};
        try (Admin admin = Admin.create(kafka.adminConfig())) {
            Set<String> names = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get();
            Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames().get();
            List<TopicPartition> partitions = new ArrayList<>();
            for (TopicDescription topic : topics.values()) {
                topic.partitions().forEach(p -> partitions.add(new TopicPartition(topic.name(), p.partition())));
            }
            read(kafka, partitions, false, r -> {
                records[0]++;
                Set<String> found = new LinkedHashSet<>(scan.in(r.key()));
                found.addAll(scan.in(r.value()));
                for (Header header : r.headers()) {
                    found.addAll(scan.in(header.key()));
                    found.addAll(scan.in(header.value()));
                }
                found.forEach(v -> hits.add(r.topic() + "/" + r.partition() + "@" + r.offset() + ": " + v));
            });
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot list the topics: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return new Result(records[0], hits);
    }

    /** Every regular file under {@code dir}: hits as "file: value". */
    public static List<String> files(Path dir, Collection<String> values) {
        PhiScan scan = new PhiScan(values);
        List<String> hits = new ArrayList<>();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path file : paths.filter(Files::isRegularFile).toList()) {
                byte[] bytes;
                try {
                    bytes = Files.readAllBytes(file);
                } catch (IOException e) {
                    continue; // deleted meanwhile (a rolled segment)
                }
                scan.in(bytes).forEach(v -> hits.add(dir.relativize(file) + ": " + v));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return hits;
    }

    /** Every record of a one-partition-or-more topic, from the beginning to its end now. */
    public static List<ConsumerRecord<byte[], byte[]>> readAll(KafkaSettings kafka, String topic, boolean committedOnly) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(kafka, committedOnly)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            read(kafka, partitions, committedOnly, out::add);
        }
        return out;
    }

    private static void read(KafkaSettings kafka, Collection<TopicPartition> partitions, boolean committedOnly,
                             java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> visit) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(kafka, committedOnly)) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(visit);
            }
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(KafkaSettings kafka, boolean committedOnly) {
        Map<String, Object> config = kafka.consumerConfig("villa-phi-scan");
        config.remove(ConsumerConfig.GROUP_ID_CONFIG); // assigned partitions, no group, no commits
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, committedOnly ? "read_committed" : "read_uncommitted");
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
