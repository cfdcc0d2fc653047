package io.villa.flink.faults;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

import io.villa.records.Box;
import io.villa.records.ImageReportPair;
import io.villa.records.RegionTruth;
import io.villa.schemas.Codecs;

/**
 * Writes an {@code ImageReportPair} by hand, field by field in schema order, behind the real 10-byte single-object
 * header, so that one length prefix can lie while every other byte is what the codec would write. With no lie the
 * bytes equal {@code Codecs.IMAGE_REPORT_PAIR.encode} (the battery checks that, so the layout here is the schema's).
 */
final class LyingAvro {

    /** Where the lie is. */
    enum Field {
        NONE, PAIR_ID, REPORT, IMAGE_DATA, REGIONS, GROUND_TRUTH, ATTRIBUTES
    }

    private static final int HEADER_LENGTH = 10;

    private LyingAvro() {
    }

    /** The record's bytes with {@code field}'s length (or item count) written as {@code claimed}; its content stays as it is. */
    static byte[] encode(ImageReportPair p, Field field, long claimed) {
        byte[] honest = Codecs.IMAGE_REPORT_PAIR.encode(p);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(honest, 0, HEADER_LENGTH);
        BinaryEncoder e = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            string(e, p.getPairId().toString(), field == Field.PAIR_ID, claimed);
            string(e, p.getSource().toString(), false, 0);
            e.writeEnum(p.getSplit().ordinal());
            // Image: data, format, width, height
            byte[] data = new byte[p.getImage().getData().remaining()];
            p.getImage().getData().duplicate().get(data);
            e.writeLong(field == Field.IMAGE_DATA ? claimed : data.length);
            e.writeFixed(data);
            e.writeEnum(p.getImage().getFormat().ordinal());
            e.writeInt(p.getImage().getWidth());
            e.writeInt(p.getImage().getHeight());
            string(e, p.getReport().toString(), field == Field.REPORT, claimed);
            List<Box> boxes = p.getRegions();
            count(e, boxes.size(), field == Field.REGIONS, claimed);
            for (Box b : boxes) {
                e.writeInt(b.getX());
                e.writeInt(b.getY());
                e.writeInt(b.getWidth());
                e.writeInt(b.getHeight());
            }
            end(e);
            List<RegionTruth> truth = p.getGroundTruth();
            if (truth == null) {
                e.writeIndex(0);
            } else {
                e.writeIndex(1);
                count(e, truth.size(), field == Field.GROUND_TRUTH, claimed);
                boolean first = true;
                for (RegionTruth t : truth) {
                    e.writeInt(t.getRegionIndex());
                    List<String> attributes = t.getAttributes();
                    count(e, attributes.size(), first && field == Field.ATTRIBUTES, claimed);
                    for (String a : attributes) {
                        string(e, a.toString(), false, 0);
                    }
                    end(e);
                    first = false;
                }
                end(e);
            }
            e.writeLong(p.getEventTime().toEpochMilli());
            e.flush();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }

    /** True when the hand-written layout is the codec's (no lie gives the codec's bytes). */
    static boolean matchesCodec(ImageReportPair p) {
        return Arrays.equals(encode(p, Field.NONE, 0), Codecs.IMAGE_REPORT_PAIR.encode(p));
    }

    private static void string(BinaryEncoder e, String s, boolean lie, long claimed) throws IOException {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        e.writeLong(lie ? claimed : utf8.length);
        e.writeFixed(utf8);
    }

    /** Avro arrays: blocks of (count, items), ended by a zero count; an empty array is just the zero. */
    private static void count(BinaryEncoder e, int size, boolean lie, long claimed) throws IOException {
        if (lie) {
            e.writeLong(claimed);
        } else if (size > 0) {
            e.writeLong(size);
        }
    }

    private static void end(BinaryEncoder e) throws IOException {
        e.writeLong(0);
    }
}
