package io.villa.flink.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.villa.flink.io.KeyedBytes;
import io.villa.flink.io.RawRecord;
import io.villa.flink.operators.DecodePairs;
import io.villa.flink.operators.DecodedPair;
import io.villa.flink.operators.InputLimits;
import io.villa.flink.operators.PrepareConfig;
import io.villa.flink.operators.PreparedPair;
import io.villa.flink.operators.ValidateAndPrepare;
import io.villa.records.DeadLetter;
import io.villa.records.ImageFormat;
import io.villa.records.ImageReportPair;
import io.villa.records.Split;
import io.villa.schemas.Codecs;

/** The decode and validate/prepare operators alone, on real DocMNIST pairs and on each kind of broken input. */
class DecodeAndValidateTest {

    private static ImageReportPair good;

    private final DecodePairs decode = new DecodePairs(InputLimits.defaults());
    private final ValidateAndPrepare validate =
            new ValidateAndPrepare(PrepareConfig.defaults(), InputLimits.defaults());

    @BeforeAll
    static void pairs() {
        good = TestPairs.take(TestPairs.generator(3, 8), Split.TRAIN, 1).get(0);
    }

    private static RawRecord raw(byte[] value, long offset) {
        return new RawRecord("pairs", 2, offset, 0L, "key".getBytes(StandardCharsets.UTF_8), value);
    }

    private DecodedPair decoded(ImageReportPair pair) throws Exception {
        Contexts.Run<DecodedPair> run = Contexts.process(decode, raw(Codecs.IMAGE_REPORT_PAIR.encode(pair), 7));
        assertThat(run.side).isEmpty();
        assertThat(run.main).hasSize(1);
        return run.main.get(0);
    }

    private DeadLetter rejectedByValidation(ImageReportPair pair) throws Exception {
        Contexts.Run<PreparedPair> run = Contexts.process(validate, decoded(pair));
        assertThat(run.main).as("a broken pair must not pass").isEmpty();
        assertThat(run.side).hasSize(1);
        DeadLetter letter = Codecs.DEAD_LETTER.decode(((KeyedBytes) run.side.get(0)).value);
        assertThat(letter.getStage()).isEqualTo("decompose.validate");
        assertThat(letter.getSourceTopic()).isEqualTo("pairs");
        assertThat(letter.getSourcePartition()).isEqualTo(2);
        assertThat(letter.getSourceOffset()).isEqualTo(7L);
        assertThat(letter.getOriginalValue().array()).isEqualTo(Codecs.IMAGE_REPORT_PAIR.encode(pair));
        return letter;
    }

    @Test
    void aGoodPairIsDecodedAndCutIntoItsRegions() throws Exception {
        DecodedPair d = decoded(good);
        assertThat(d.pairId).isEqualTo(good.getPairId());
        assertThat(d.topic).isEqualTo("pairs");
        assertThat(d.offset).isEqualTo(7L);

        Contexts.Run<PreparedPair> run = Contexts.process(validate, d);
        assertThat(run.side).isEmpty();
        PreparedPair p = run.main.get(0);
        int regions = good.getRegions().size();
        assertThat(p.regionCount()).isEqualTo(regions);
        assertThat(p.regionPixels.length).isEqualTo(regions);
        assertThat(p.regionPng.length).isEqualTo(regions);
        for (byte[] px : p.regionPixels) {
            assertThat(px).hasSize(3 * 28 * 28);
        }
        assertThat(p.sentences).isNotEmpty();
        assertThat(p.groundTruth).isNotNull();
        for (int r = 0; r < regions; r++) {
            assertThat(p.boxes[r])
                    .containsExactly(
                            good.getRegions().get(r).getX(),
                            good.getRegions().get(r).getY(),
                            good.getRegions().get(r).getWidth(),
                            good.getRegions().get(r).getHeight());
            // a DocMNIST region holds a coloured digit on black: some pixels lit, most dark
            int max = 0;
            for (byte v : p.regionPixels[r]) {
                max = Math.max(max, v & 0xff);
            }
            assertThat(max).as("region %d has a digit", r).isGreaterThan(102);
        }
    }

    @Test
    void bytesThatAreNotARecordBecomeADeadLetterOfTheDecodeStage() throws Exception {
        byte[] garbage = "definitely not avro".getBytes(StandardCharsets.UTF_8);
        Contexts.Run<DecodedPair> run = Contexts.process(decode, raw(garbage, 11));
        assertThat(run.main).isEmpty();
        DeadLetter letter = Codecs.DEAD_LETTER.decode(((KeyedBytes) run.side.get(0)).value);
        assertThat(letter.getStage()).isEqualTo("decompose.decode");
        assertThat(letter.getSourceOffset()).isEqualTo(11L);
        assertThat(letter.getOriginalValue().array()).isEqualTo(garbage);
        assertThat(letter.getErrorClass()).isEqualTo("io.villa.schemas.RecordDecodingException");
        assertThat(letter.getErrorMessage()).isNotBlank();
    }

    @Test
    void aRecordWithoutValueIsADeadLetterToo() throws Exception {
        Contexts.Run<DecodedPair> run = Contexts.process(decode, raw(null, 12));
        assertThat(run.main).isEmpty();
        assertThat(Codecs.DEAD_LETTER
                        .decode(((KeyedBytes) run.side.get(0)).value)
                        .getStage())
                .isEqualTo("decompose.decode");
    }

    @Test
    void eachKindOfInvalidPairIsRejectedWithItsReason() throws Exception {
        assertThat(rejectedByValidation(TestPairs.undecodableImage(good)).getErrorMessage())
                .contains("does not decode");
        assertThat(rejectedByValidation(TestPairs.emptyReport(good)).getErrorMessage())
                .contains("no sentences");
        assertThat(rejectedByValidation(TestPairs.boxOutside(good)).getErrorMessage())
                .contains("outside");
        assertThat(rejectedByValidation(TestPairs.regionTooSmall(good)).getErrorMessage())
                .contains("smaller than the minimum");
    }

    @Test
    void withoutBoxesTheGridCoversTheImage() throws Exception {
        BufferedImage rgb = new BufferedImage(90, 60, BufferedImage.TYPE_INT_RGB);
        ImageReportPair pair = TestPairs.pairWithImage("grid", TestPairs.encode(rgb, "png"), ImageFormat.PNG, 90, 60);
        PreparedPair p = Contexts.process(validate, decoded(pair)).main.get(0);
        assertThat(p.regionCount()).isEqualTo(9);
        long area = 0;
        for (int[] b : p.boxes) {
            area += (long) b[2] * b[3];
        }
        assertThat(area).isEqualTo(90L * 60);
        assertThat(p.boxes[8]).containsExactly(60, 40, 30, 20);
    }

    @Test
    void greyPngsOf8And16BitsGiveTheirGreyLevelInEveryChannel() throws Exception {
        BufferedImage grey8 = new BufferedImage(56, 56, BufferedImage.TYPE_BYTE_GRAY);
        fill(grey8.getRaster(), 128);
        BufferedImage grey16 = new BufferedImage(56, 56, BufferedImage.TYPE_USHORT_GRAY);
        fill(grey16.getRaster(), 32768);
        for (BufferedImage image : List.of(grey8, grey16)) {
            ImageReportPair pair =
                    TestPairs.pairWithImage("grey", TestPairs.encode(image, "png"), ImageFormat.PNG, 56, 56);
            Contexts.Run<PreparedPair> run = Contexts.process(validate, decoded(pair));
            assertThat(run.side)
                    .as("grey image type %d accepted", image.getType())
                    .isEmpty();
            byte[] px = run.main.get(0).regionPixels[4];
            int plane = px.length / 3;
            for (int c = 0; c < 3; c++) {
                assertThat(px[c * plane] & 0xff)
                        .as("channel %d of grey type %d", c, image.getType())
                        .isCloseTo(128, org.assertj.core.data.Offset.offset(5));
            }
        }
    }

    @Test
    void jpegImagesAreAccepted() throws Exception {
        BufferedImage rgb = new BufferedImage(84, 84, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 84; y++) {
            for (int x = 0; x < 84; x++) {
                rgb.setRGB(x, y, 0x0000ff);
            }
        }
        ImageReportPair pair = TestPairs.pairWithImage("jpeg", TestPairs.encode(rgb, "jpeg"), ImageFormat.JPEG, 84, 84);
        Contexts.Run<PreparedPair> run = Contexts.process(validate, decoded(pair));
        assertThat(run.side).isEmpty();
        byte[] px = run.main.get(0).regionPixels[0];
        int plane = px.length / 3;
        assertThat(px[2 * plane + 100] & 0xff).as("blue channel").isGreaterThan(229);
        assertThat(px[100] & 0xff).as("red channel").isLessThan(26);
    }

    private DeadLetter rejectedByDecoding(byte[] value, InputLimits limits) throws Exception {
        Contexts.Run<DecodedPair> run = Contexts.process(new DecodePairs(limits), raw(value, 13));
        assertThat(run.main).as("over a limit: not decoded").isEmpty();
        DeadLetter letter = Codecs.DEAD_LETTER.decode(((KeyedBytes) run.side.get(0)).value);
        assertThat(letter.getStage()).isEqualTo("decompose.decode");
        assertThat(letter.getSourceOffset()).isEqualTo(13L);
        return letter;
    }

    @Test
    void limitsAreCheckedBeforeTheWork() throws Exception {
        byte[] encoded = Codecs.IMAGE_REPORT_PAIR.encode(good);
        assertThat(rejectedByDecoding(
                                encoded,
                                InputLimits.builder()
                                        .optMaxRecordBytes(encoded.length - 1)
                                        .build())
                        .getErrorMessage())
                .contains("bytes is over the limit")
                .contains("--max-record-bytes");

        ImageReportPair manyBoxes = ImageReportPair.newBuilder(good)
                .setRegions(
                        java.util.Collections.nCopies(5000, good.getRegions().get(0)))
                .build();
        assertThat(rejectedByDecoding(Codecs.IMAGE_REPORT_PAIR.encode(manyBoxes), InputLimits.defaults())
                        .getErrorMessage())
                .contains("5000 region boxes are over the limit of 64");

        for (int index : new int[] {2_000_000_000, -1, 64}) {
            ImageReportPair wrongTruth = ImageReportPair.newBuilder(good)
                    .setGroundTruth(List.of(new io.villa.records.RegionTruth(index, List.of("seven"))))
                    .build();
            assertThat(rejectedByDecoding(Codecs.IMAGE_REPORT_PAIR.encode(wrongTruth), InputLimits.defaults())
                            .getErrorMessage())
                    .contains("ground truth names region " + index);
        }

        ImageReportPair longReport = ImageReportPair.newBuilder(good)
                .setReport("the digit is red . ".repeat(5000))
                .build();
        assertThat(rejectedByDecoding(Codecs.IMAGE_REPORT_PAIR.encode(longReport), InputLimits.defaults())
                        .getErrorMessage())
                .contains("report of 95000 characters is over the limit");

        ImageReportPair gigapixel = TestPairs.pairWithImage(
                "huge", io.villa.flink.faults.HostileImages.blackOneBitPng(30000), ImageFormat.PNG, 30000, 30000);
        assertThat(rejectedByDecoding(Codecs.IMAGE_REPORT_PAIR.encode(gigapixel), InputLimits.defaults())
                        .getErrorMessage())
                .contains("the record states an image of 30000x30000 pixels, over the limit");
    }

    @Test
    void anImageHeaderIsReadBeforeAnyPixelIsDecoded() throws Exception {
        // the record understates a 30000x30000 image: the header says so before 900 megapixels are decoded
        ImageReportPair understated = TestPairs.pairWithImage(
                "liar", io.villa.flink.faults.HostileImages.blackOneBitPng(30000), ImageFormat.PNG, 84, 84);
        long started = System.nanoTime();
        DeadLetter letter = rejectedByValidation(understated);
        assertThat(letter.getErrorMessage())
                .contains("the image header states an image of 30000x30000 pixels, over the limit");
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started))
                .as("no decoding happened")
                .isLessThan(java.time.Duration.ofSeconds(5));
    }

    @Test
    void groundTruthForARegionThePairDoesNotHaveIsRejected() throws Exception {
        ImageReportPair pair = ImageReportPair.newBuilder(good)
                .setGroundTruth(List.of(
                        new io.villa.records.RegionTruth(good.getRegions().size() + 2, List.of("seven"))))
                .build();
        assertThat(rejectedByValidation(pair).getErrorMessage())
                .contains("but the pair has " + good.getRegions().size() + " regions");
    }

    private static void fill(WritableRaster raster, int value) {
        for (int y = 0; y < raster.getHeight(); y++) {
            for (int x = 0; x < raster.getWidth(); x++) {
                raster.setSample(x, y, 0, value);
            }
        }
    }
}
