package io.villa.producers.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.villa.records.Box;
import io.villa.records.ImageFormat;
import io.villa.records.ImageReportPair;
import io.villa.records.Split;

class FolderAndManifestTest {

    @TempDir
    Path dir;

    private final IngestConverter converter = new IngestConverter("folder", Split.TRAIN, 256, Clock.systemUTC());

    @Test
    void folderFeedConvertsGoodPairsAndNamesEveryBrokenInput() throws Exception {
        FeedFixtures.goodAndBrokenFolder(dir);

        Map<String, ImageReportPair> good = new HashMap<>();
        Map<String, IngestFailure.Reason> broken = new HashMap<>();
        for (IngestItem item : FolderFeed.list(dir)) {
            try {
                good.put(item.input(), converter.convert(item));
            } catch (IngestFailure failure) {
                broken.put(item.input(), failure.reason());
            }
        }

        assertThat(good).containsOnlyKeys("grey8.png", "grey16.png", "rgb.png", "photo.jpg", "big/xray.png");
        assertThat(broken)
                .containsOnly(
                        Map.entry("garbage.png", IngestFailure.Reason.UNDECODABLE_IMAGE),
                        Map.entry("lonely.png", IngestFailure.Reason.MISSING_FILE),
                        Map.entry("blank.png", IngestFailure.Reason.EMPTY_REPORT),
                        Map.entry("orphan.txt", IngestFailure.Reason.MISSING_FILE));

        ImageReportPair grey16 = good.get("grey16.png");
        assertThat(grey16.getReport()).isEqualTo("there is an opacity in the left lower lobe");
        assertThat(grey16.getImage().getFormat()).isEqualTo(ImageFormat.PNG);
        assertThat(grey16.getImage().getWidth()).isEqualTo(60);
        assertThat(decode(grey16).getRaster().getSampleModel().getSampleSize(0)).isEqualTo(16);
        assertThat(good.get("photo.jpg").getImage().getFormat()).isEqualTo(ImageFormat.JPEG);
        assertThat(grey16.getSplit()).isEqualTo(Split.TRAIN);
        assertThat(grey16.getSource()).isEqualTo("folder");

        // downscaled to the longest side, still 16-bit grey
        ImageReportPair big = good.get("big/xray.png");
        assertThat(big.getImage().getWidth()).isEqualTo(256);
        assertThat(big.getImage().getHeight()).isEqualTo(128);
        BufferedImage bigImage = decode(big);
        assertThat(bigImage.getWidth()).isEqualTo(256);
        assertThat(bigImage.getRaster().getSampleModel().getSampleSize(0)).isEqualTo(16);
    }

    @Test
    void pairIdsAreStableAcrossRunsAndChangeWithContent() throws Exception {
        FeedFixtures.goodAndBrokenFolder(dir);
        IngestItem rgb = FolderFeed.list(dir).stream()
                .filter(i -> i.input().equals("rgb.png"))
                .findFirst()
                .orElseThrow();

        String first = converter.convert(rgb).getPairId();
        String again = new IngestConverter("folder", Split.TRAIN, 256, Clock.systemUTC())
                .convert(rgb)
                .getPairId();
        Files.writeString(dir.resolve("rgb.txt"), "the heart size is enlarged");
        String changed = converter.convert(rgb).getPairId();

        assertThat(again).isEqualTo(first);
        assertThat(changed).isNotEqualTo(first);
        assertThat(first).startsWith("folder-").hasSize("folder-".length() + 32);
    }

    @Test
    void jsonLinesManifestWithBoxesSplitsAndIds() throws Exception {
        FeedFixtures.write(
                dir.resolve("img/a.png"), FeedFixtures.gradient(100, 80, BufferedImage.TYPE_BYTE_GRAY), "png");
        FeedFixtures.write(
                dir.resolve("img/b.jpg"), FeedFixtures.gradient(512, 256, BufferedImage.TYPE_INT_RGB), "jpeg");
        Files.writeString(dir.resolve("img/b.txt"), "report b from a file");
        Path manifest = dir.resolve("feed.jsonl");
        Files.writeString(
                manifest,
                String.join(
                        "\n",
                        "{\"image\": \"img/a.png\", \"report\": \"report a\", "
                                + "\"boxes\": [[0,0,50,40],{\"x\":50,\"y\":40,\"width\":50,\"height\":40}], "
                                + "\"split\": \"val\", \"id\": \"case-1\"}",
                        "{\"image\": \"img/b.jpg\", \"report_path\": \"img/b.txt\", \"boxes\": [[256,0,256,256]], \"split\": \"TEST\"}",
                        "",
                        "{\"image\": \"img/a.png\", \"report\": \"r\", \"boxes\": [[60,60,50,50]]}",
                        "{\"image\": \"img/a.png\", \"report\": \"r\", \"split\": \"holdout\"}",
                        "{\"image\": \"img/missing.png\", \"report\": \"r\"}",
                        "{\"image\": \"img/a.png\", \"report\": \"\"}",
                        "{not json",
                        "{\"image\": \"img/a.png\", \"report\": \"r\", \"boxes\": [[1,2,3]]}"));

        List<IngestItem> items = ManifestFeed.list(manifest);
        assertThat(items).hasSize(8);

        ImageReportPair a = new IngestConverter("manifest", Split.TRAIN, 1024, Clock.systemUTC()).convert(items.get(0));
        assertThat(a.getPairId()).isEqualTo("case-1");
        assertThat(a.getSplit()).isEqualTo(Split.VAL);
        assertThat(a.getRegions()).containsExactly(new Box(0, 0, 50, 40), new Box(50, 40, 50, 40));

        ImageReportPair b = converter.convert(items.get(1));
        assertThat(b.getReport()).isEqualTo("report b from a file");
        assertThat(b.getSplit()).isEqualTo(Split.TEST);
        assertThat(b.getImage().getWidth()).isEqualTo(256);
        assertThat(b.getRegions()).containsExactly(new Box(128, 0, 128, 128)); // scaled with the image

        assertThat(reasonOf(items.get(2))).isEqualTo(IngestFailure.Reason.BOX_OUTSIDE_IMAGE);
        assertThat(reasonOf(items.get(3))).isEqualTo(IngestFailure.Reason.UNKNOWN_SPLIT);
        assertThat(reasonOf(items.get(4))).isEqualTo(IngestFailure.Reason.MISSING_FILE);
        assertThat(reasonOf(items.get(5))).isEqualTo(IngestFailure.Reason.EMPTY_REPORT);
        assertThat(reasonOf(items.get(6))).isEqualTo(IngestFailure.Reason.BAD_MANIFEST_ENTRY);
        assertThat(items.get(6).input()).isEqualTo("feed.jsonl line 8");
        assertThat(reasonOf(items.get(7))).isEqualTo(IngestFailure.Reason.BAD_MANIFEST_ENTRY);
    }

    @Test
    void csvManifest() throws Exception {
        FeedFixtures.write(dir.resolve("a.png"), FeedFixtures.gradient(40, 30, BufferedImage.TYPE_BYTE_GRAY), "png");
        Path manifest = dir.resolve("feed.csv");
        Files.writeString(
                manifest,
                String.join(
                        "\n",
                        "image,report,boxes,split,id",
                        "a.png,\"the heart is normal, the lungs are clear\",\"0 0 20 15;20 15 20 15\",train,",
                        "a.png,report two,,nonsense,",
                        "a.png,,,,",
                        ""));

        List<IngestItem> items = ManifestFeed.list(manifest);

        assertThat(items).hasSize(3);
        ImageReportPair first = converter.convert(items.get(0));
        assertThat(first.getReport()).isEqualTo("the heart is normal, the lungs are clear");
        assertThat(first.getRegions()).containsExactly(new Box(0, 0, 20, 15), new Box(20, 15, 20, 15));
        assertThat(reasonOf(items.get(1))).isEqualTo(IngestFailure.Reason.UNKNOWN_SPLIT);
        assertThat(reasonOf(items.get(2))).isEqualTo(IngestFailure.Reason.EMPTY_REPORT);
        assertThat(items.get(2).input()).isEqualTo("feed.csv line 4");
    }

    @Test
    void notADirectory() {
        assertThatThrownBy(() -> FolderFeed.list(dir.resolve("nope"))).hasMessageContaining("is not a directory");
    }

    private IngestFailure.Reason reasonOf(IngestItem item) {
        try {
            converter.convert(item);
        } catch (IngestFailure failure) {
            return failure.reason();
        }
        throw new AssertionError(item.input() + " was converted, but should have failed");
    }

    private static BufferedImage decode(ImageReportPair pair) throws IOException {
        ByteBuffer data = pair.getImage().getData().duplicate();
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        return ImageIO.read(new ByteArrayInputStream(bytes));
    }
}
