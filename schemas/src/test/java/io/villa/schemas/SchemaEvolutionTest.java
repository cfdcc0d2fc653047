package io.villa.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;

import io.villa.records.ImageReportPair;

class SchemaEvolutionTest {

    /** Named types that the record schemas refer to; they must be parsed first. */
    private static final List<String> SHARED_TYPES = List.of("Box", "Image", "Split", "RegionTruth");
    private static final List<String> RECORDS = List.of("ImageReportPair", "RegionAttributePair", "DeadLetter", "TrainerEvent");

    @Test
    void currentSchemasReadEveryReleasedVersion() throws IOException {
        Path history = Path.of("src/test/resources/schema-history");
        List<Path> versions;
        try (Stream<Path> dirs = Files.list(history)) {
            versions = dirs.filter(Files::isDirectory).sorted().toList();
        }
        assertThat(versions).isNotEmpty();

        for (Path version : versions) {
            Schema.Parser parser = new Schema.Parser();
            for (String shared : SHARED_TYPES) {
                parser.parse(version.resolve(shared + ".avsc").toFile());
            }
            for (String record : RECORDS) {
                Schema writer = parser.parse(version.resolve(record + ".avsc").toFile());
                Schema reader = SpecificData.get().getSchema(classOf(record));
                var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
                assertThat(result.getType())
                        .as("%s of %s readable by the current schema: %s", record, version.getFileName(), result.getDescription())
                        .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
            }
        }
    }

    @Test
    void theCheckerRejectsANewRequiredFieldWithoutDefault() {
        Schema current = ImageReportPair.getClassSchema();
        Schema broken = SchemaBuilder.record("ImageReportPair").namespace("io.villa.records").fields()
                .requiredString("pairId")
                .requiredString("hospital")
                .endRecord();

        var result = SchemaCompatibility.checkReaderWriterCompatibility(broken, current);

        assertThat(result.getType()).isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
    }

    @Test
    void theCurrentCodecReadsBytesWrittenWithAnOlderSchema() throws IOException {
        Schema older = parseFixture("ImageReportPair-older.avsc");
        GenericRecord old = new GenericRecordBuilder(older)
                .set("pairId", "old-1")
                .set("source", "feed-a")
                .set("split", new GenericData.EnumSymbol(older.getField("split").schema(), "VAL"))
                .set("image", new GenericRecordBuilder(older.getField("image").schema())
                        .set("data", ByteBuffer.wrap(new byte[] {1, 2, 3}))
                        .set("format", new GenericData.EnumSymbol(older.getField("image").schema().getField("format").schema(), "PNG"))
                        .set("width", 10).set("height", 20).build())
                .set("report", "no finding")
                .set("eventTime", 1_700_000_000_000L)
                .build();
        byte[] oldBytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), older).encode(old).array();

        AvroCodec<ImageReportPair> codec = AvroCodec.of(ImageReportPair.class).addWriterSchema(older);
        ImageReportPair read = codec.decode(oldBytes);

        assertThat(read.getPairId()).isEqualTo("old-1");
        assertThat(read.getImage().getHeight()).isEqualTo(20);
        assertThat(read.getRegions()).as("default for a field the old writer lacked").isEmpty();
        assertThat(read.getGroundTruth()).isNull();
    }

    @Test
    void aReaderWithANewerSchemaReadsTodaysBytes() throws IOException {
        Schema newer = parseFixture("ImageReportPair-newer.avsc");
        byte[] today = Codecs.IMAGE_REPORT_PAIR.encode(SampleRecords.imageReportPair());

        BinaryMessageDecoder<GenericRecord> newerReader = new BinaryMessageDecoder<>(GenericData.get(), newer);
        newerReader.addSchema(ImageReportPair.getClassSchema());
        GenericRecord read = newerReader.decode(today);

        assertThat(read.get("pairId").toString()).isEqualTo("docmnist-train-000001");
        assertThat(read.get("hospital")).isNull();
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(newer, ImageReportPair.getClassSchema()).getType())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    private static Schema parseFixture(String name) throws IOException {
        Schema.Parser parser = new Schema.Parser();
        for (String shared : SHARED_TYPES) {
            parser.parse(Path.of("src/main/avro", shared + ".avsc").toFile());
        }
        try (InputStream in = SchemaEvolutionTest.class.getResourceAsStream("/evolution/" + name)) {
            return parser.parse(in);
        }
    }

    private static Class<?> classOf(String record) {
        try {
            return Class.forName("io.villa.records." + record);
        } catch (ClassNotFoundException e) {
            throw new AssertionError("no generated class for " + record, e);
        }
    }
}
