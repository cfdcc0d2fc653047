package io.villa.cli.commands;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.villa.kafka.KafkaOptions;
import io.villa.kafka.TopicNames;
import io.villa.schemas.AvroCodec;
import io.villa.schemas.Codecs;
import io.villa.schemas.RecordDecodingException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** villa tail TOPIC: decodes records and prints them as JSON lines, without pixel data. */
@Command(
        name = "tail",
        mixinStandardHelpOptions = true,
        description = {
            "Prints the records of a topic as JSON, one per line, bytes (pixels) shown as their length.",
            "Only committed records are read. Records that cannot be decoded are reported on stderr and skipped."
        })
public final class TailCommand implements Callable<Integer> {

    /** Which record a topic holds. */
    enum RecordType {
        pairs(Codecs.IMAGE_REPORT_PAIR),
        regions(Codecs.REGION_ATTRIBUTE_PAIR),
        dead_letters(Codecs.DEAD_LETTER),
        trainer_events(Codecs.TRAINER_EVENT);

        final AvroCodec<? extends SpecificRecord> codec;

        RecordType(AvroCodec<? extends SpecificRecord> codec) {
            this.codec = codec;
        }
    }

    @Mixin
    KafkaOptions kafka;

    @Parameters(paramLabel = "TOPIC", description = "the topic to read")
    String topic;

    @Option(names = "--type", description = "record type: ${COMPLETION-CANDIDATES} (default: from the topic name)")
    RecordType type;

    @Option(names = "--from-beginning", description = "start at the oldest record (default: only new records)")
    boolean fromBeginning;

    @Option(names = "--max", defaultValue = "0", description = "stop after this many records; 0 = no limit")
    long max;

    @Option(
            names = "--timeout",
            defaultValue = "0",
            description = "stop after this many seconds without a record; 0 = never")
    long idleTimeoutSeconds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        RecordType recordType = type != null ? type : typeOf(topic, kafka.topics());
        if (recordType == null) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(),
                    "cannot tell which record " + topic + " holds; give --type (" + List.of(RecordType.values()) + ")");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Map<String, Object> config = kafka.settings().consumerConfig("villa-tail-" + UUID.randomUUID());
        config.put("auto.offset.reset", fromBeginning ? "earliest" : "latest");
        long printed = 0;
        long idleSince = System.nanoTime();
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (max == 0 || printed < max) {
                var records = consumer.poll(Duration.ofMillis(500));
                if (records.isEmpty()) {
                    if (idleTimeoutSeconds > 0
                            && System.nanoTime() - idleSince
                                    > Duration.ofSeconds(idleTimeoutSeconds).toNanos()) {
                        break;
                    }
                    continue;
                }
                idleSince = System.nanoTime();
                for (ConsumerRecord<String, byte[]> record : records) {
                    if (record.value() == null) {
                        err.printf(
                                "partition %d offset %d key %s: no value (tombstone)%n",
                                record.partition(), record.offset(), record.key());
                    } else {
                        try {
                            out.println(RecordJson.toJson(recordType.codec.decode(record.value())));
                        } catch (RecordDecodingException e) {
                            // one clear line per bad record, then on to the next: tail is for looking, not for judging
                            err.printf(
                                    "partition %d offset %d key %s: cannot decode as %s: %s%n",
                                    record.partition(), record.offset(), record.key(), recordType, e.getMessage());
                        }
                    }
                    out.flush();
                    err.flush();
                    if (max > 0 && ++printed >= max) {
                        break;
                    }
                }
            }
        }
        return 0;
    }

    static RecordType typeOf(String topic, TopicNames topics) {
        if (topic.equals(topics.imageReportPairs())) {
            return RecordType.pairs;
        }
        if (topic.equals(topics.regionAttributePairs())) {
            return RecordType.regions;
        }
        if (topic.equals(topics.deadLetters())) {
            return RecordType.dead_letters;
        }
        if (topic.equals(topics.trainerEvents())) {
            return RecordType.trainer_events;
        }
        return null;
    }
}
