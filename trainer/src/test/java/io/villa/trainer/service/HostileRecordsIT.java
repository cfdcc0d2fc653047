package io.villa.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.CRC32;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.villa.kafka.TopicNames;
import io.villa.records.DeadLetter;
import io.villa.records.RegionAttributePair;
import io.villa.records.Split;
import io.villa.schemas.Codecs;
import io.villa.trainer.OracleStream;
import io.villa.trainer.TestKafka;
import io.villa.trainer.checkpoint.CheckpointStore;
import io.villa.trainer.config.RecordLimits;
import io.villa.trainer.config.TrainerConfig;

/**
 * Hostile records among good ones, through the embedded broker into real DJL training: each record over a limit,
 * undecodable, or poisoning its batch goes to the dead-letter topic with its reason, and every good record is still
 * trained exactly once.
 */
class HostileRecordsIT {

    private static final int BATCH = 16;
    private static final RecordLimits LIMITS = RecordLimits.builder()
            .optImageBytes(64 * 1024)
            .optImageSide(1024)
            .optTextChars(2000)
            .optTokens(64)
            .optAttributes(32)
            .build();
    private static final int MAX_PAIR_WAIT = 40;

    @RegisterExtension
    static final TestKafka kafka = new TestKafka();

    @Test
    void everyHostileRecordIsDeadLetteredWithItsReasonAndTrainingGoesOn(@TempDir Path dir) throws Exception {
        TopicNames topics = kafka.topics("hostile");
        String topic = topics.regionAttributePairs();
        kafka.createTopic(topic, 1);
        kafka.createTopic(topics.deadLetters(), 1);
        List<RegionAttributePair> good = new ArrayList<>(OracleStream.records(Split.TRAIN, 600, 8, 21));
        RegionAttributePair template = good.get(0);
        RegionAttributePair wholeTemplate = good.stream()
                .filter(RegionAttributePair::getWholeImage)
                .findFirst()
                .orElseThrow();

        // each over exactly one limit, or broken otherwise; the image limits bound the one image the trainer decodes,
        // the whole image
        Map<String, RegionAttributePair> overLimit = Map.of(
                "--max-image-bytes",
                        hostile(template, "bytes")
                                .setRegionImage(image(template, new byte[100 * 1024]))
                                .build(),
                // a 60000 x 60000 PNG header (15 GB of pixels): decoding it before the check would be an
                // OutOfMemoryError
                "--max-image-side",
                        hostileWhole(wholeTemplate, "side")
                                .setRegionImage(image(wholeTemplate, pngHeader(60_000, 60_000)))
                                .build(),
                "--max-text-chars",
                        hostile(template, "chars").setText("a ".repeat(1500)).build(),
                "--max-tokens",
                        hostile(template, "tokens").setText("red ".repeat(100)).build(),
                "--max-attributes",
                        hostile(template, "attributes")
                                .setAttributes(Collections.nCopies(40, "red"))
                                .build());
        RegionAttributePair unreadableImage = hostileWhole(wholeTemplate, "unreadable")
                .setRegionImage(image(wholeTemplate, new byte[] {1, 2, 3}))
                .build();
        // a region whose pair's whole image never comes
        RegionAttributePair orphan = hostile(template, "orphan").build();
        // within every limit alone, but together they would pad a batch to 60 sentences x 60 words per text
        RegionAttributePair manySentences =
                hostile(template, "padding").setText("red . ".repeat(60)).build();
        RegionAttributePair longSentence = hostile(template, "padding")
                .setRegionIndex(1)
                .setText("red ".repeat(60))
                .build();
        RegionAttributePair paddingWhole =
                hostileWhole(wholeTemplate, "padding").build();

        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        List<RegionAttributePair> stream = new ArrayList<>(good.subList(0, 100));
        stream.addAll(overLimit.values());
        stream.add(unreadableImage);
        stream.add(orphan);
        stream.addAll(good.subList(100, 103));
        stream.add(manySentences);
        stream.add(longSentence);
        stream.add(paddingWhole);
        stream.addAll(good.subList(103, good.size()));
        out.addAll(OracleStream.kafkaRecords(topic, stream));
        out.add(new ProducerRecord<>(
                topic, "garbage".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xC3, 1, 2, 3, 4, 5}));
        kafka.produceCommitted(out);

        List<String> trained = new ArrayList<>();
        List<Float> losses = new ArrayList<>();
        TrainerConfig settings =
                TrainerConfig.builder().optBatchSize(BATCH).optDevice("cpu").build();
        ServiceConfig service = ServiceConfig.builder(topic)
                .optCheckpointing(1000, 1)
                .optEvalEvery(0)
                .optStopAfter(0, 3000)
                .optProgress(false)
                .optCpuThreads(2)
                .optRecordLimits(LIMITS)
                .optMaxPairWait(MAX_PAIR_WAIT)
                .build();
        try (KafkaRegionSource source = new KafkaRegionSource(kafka.settings(), topic, "test-hostile");
                KafkaSinks sinks = new KafkaSinks(kafka.settings(), topics);
                TrainingService trainer = new TrainingService(
                        settings, service, source, new CheckpointStore(dir, 1), sinks, sinks, (step, loss, keys) -> {
                            trained.addAll(keys);
                            losses.add(loss);
                        })) {
            trainer.run();
        }

        // every good record trained exactly once (but perhaps a lone last one, which waits for more data); no hostile
        // one
        // trained, except perhaps one of the padding pair's regions, and its whole image
        Set<String> goodKeys = good.stream().map(OracleStream::key).collect(Collectors.toSet());
        assertThat(new HashSet<>(trained)).hasSameSizeAs(trained);
        assertThat(trained.stream().filter(goodKeys::contains).count()).isGreaterThanOrEqualTo(goodKeys.size() - 1);
        assertThat(trained).filteredOn(k -> !goodKeys.contains(k)).allMatch(k -> k.startsWith("hostile-padding#"));
        assertThat(losses).allMatch(Float::isFinite);

        List<DeadLetter> letters = kafka.readAll(topics.deadLetters(), 9, Duration.ofSeconds(20)).stream()
                .map(r -> Codecs.DEAD_LETTER.decode(r.value()))
                .toList();
        Map<String, String> decodeReasons = letters.stream()
                .filter(l -> l.getStage().toString().equals("trainer.decode"))
                .collect(
                        Collectors.toMap(l -> keyOf(l), l -> l.getErrorMessage().toString()));
        overLimit.forEach((option, record) -> assertThat(decodeReasons.get(OracleStream.key(record)))
                .as("dead letter of the record over %s", option)
                .contains("over the limit")
                .contains(option));
        assertThat(decodeReasons.get(OracleStream.key(unreadableImage))).contains("unreadable");
        assertThat(letters)
                .anyMatch(l -> l.getOriginalKey() != null
                        && new String(toArray(l.getOriginalKey()), StandardCharsets.UTF_8).equals("garbage"));
        assertThat(decodeReasons).hasSize(overLimit.size() + 2);

        // the orphan region: dead-lettered once its whole image had not come within the bound, pointing at the record
        List<DeadLetter> unjoined = letters.stream()
                .filter(l -> l.getStage().toString().equals("trainer.assemble"))
                .toList();
        assertThat(unjoined).singleElement().satisfies(l -> {
            assertThat(l.getSourceOffset()).isEqualTo(stream.indexOf(orphan));
            assertThat(l.getErrorMessage().toString())
                    .contains("hostile-orphan")
                    .contains("no whole-image record within " + MAX_PAIR_WAIT);
        });

        List<DeadLetter> fromBatches = letters.stream()
                .filter(l -> l.getStage().toString().equals("trainer.batch"))
                .toList();
        assertThat(fromBatches).isNotEmpty().allSatisfy(l -> {
            assertThat(l.getErrorMessage().toString()).contains("pads the batch most");
            assertThat(l.getSourceTopic().toString()).isEqualTo(topic);
        });
        assertThat(fromBatches)
                .extracting(DeadLetter::getSourceOffset)
                .allMatch(o -> o == stream.indexOf(manySentences) || o == stream.indexOf(longSentence));
        assertThat(fromBatches.size()
                        + trained.stream()
                                .filter(k -> k.startsWith("hostile-padding#") && !k.endsWith("#-1"))
                                .count())
                .isEqualTo(2);
    }

    /** pairId#regionIndex of a decode-stage dead letter: read back from the original value it carries. */
    private static String keyOf(DeadLetter letter) {
        try {
            return OracleStream.key(Codecs.REGION_ATTRIBUTE_PAIR.decode(toArray(letter.getOriginalValue())));
        } catch (RuntimeException notARecord) {
            return "undecodable@" + letter.getSourceOffset();
        }
    }

    private static byte[] toArray(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }

    private static RegionAttributePair.Builder hostile(RegionAttributePair template, String name) {
        return RegionAttributePair.newBuilder(template)
                .setPairId("hostile-" + name)
                .setRegionIndex(0)
                .setWholeImage(false);
    }

    private static RegionAttributePair.Builder hostileWhole(RegionAttributePair wholeTemplate, String name) {
        return RegionAttributePair.newBuilder(wholeTemplate).setPairId("hostile-" + name);
    }

    private static io.villa.records.Image image(RegionAttributePair template, byte[] data) {
        return io.villa.records.Image.newBuilder(template.getRegionImage())
                .setData(ByteBuffer.wrap(data))
                .build();
    }

    /** The PNG signature and a valid IHDR chunk declaring width x height RGB pixels, and no pixel data. */
    static byte[] pngHeader(int width, int height) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteArrayOutputStream chunk = new ByteArrayOutputStream();
        DataOutputStream c = new DataOutputStream(chunk);
        c.writeBytes("IHDR");
        c.writeInt(width);
        c.writeInt(height);
        c.write(new byte[] {8, 2, 0, 0, 0}); // 8 bits, RGB, deflate, no filter, no interlace
        byte[] typeAndData = chunk.toByteArray();
        out.writeInt(typeAndData.length - 4);
        out.write(typeAndData);
        CRC32 crc = new CRC32();
        crc.update(typeAndData);
        out.writeInt((int) crc.getValue());
        return bytes.toByteArray();
    }
}
