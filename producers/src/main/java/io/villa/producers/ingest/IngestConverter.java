package io.villa.producers.ingest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.villa.records.Box;
import io.villa.records.Image;
import io.villa.records.ImageReportPair;
import io.villa.records.Split;

/** Reads one {@link IngestItem} into an {@link ImageReportPair}, or says precisely why it cannot. */
public final class IngestConverter {

    private final String source;
    private final Split defaultSplit;
    private final ImageLoader images;
    private final Clock clock;

    /**
     * @param source       the feed name written into every record (and part of the pair ids)
     * @param defaultSplit split of inputs that do not name one
     * @param maxSide      longest image side; larger images are downscaled (0 = never)
     */
    public IngestConverter(String source, Split defaultSplit, int maxSide, Clock clock) {
        this.source = source;
        this.defaultSplit = defaultSplit;
        this.images = new ImageLoader(maxSide);
        this.clock = clock;
    }

    public ImageReportPair convert(IngestItem item) throws IngestFailure {
        if (item.problem() != null) {
            throw item.problem();
        }
        Split split = split(item.split());
        String report = report(item);
        byte[] bytes = read(item.image(), "image");
        LoadedImage image = images.load(bytes, item.image().getFileName().toString());
        List<Box> boxes = boxes(item.boxes(), image);
        String id = item.id() != null && !item.id().isBlank() ? item.id().strip() : PairIds.of(source, item.name(), bytes, report);
        return ImageReportPair.newBuilder()
                .setPairId(id)
                .setSource(source)
                .setSplit(split)
                .setImage(new Image(ByteBuffer.wrap(image.data()), image.format(), image.width(), image.height()))
                .setReport(report)
                .setRegions(boxes)
                .setGroundTruth(null)
                .setEventTime(clock.instant())
                .build();
    }

    private Split split(String name) throws IngestFailure {
        if (name == null || name.isBlank()) {
            return defaultSplit;
        }
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "train", "training" -> Split.TRAIN;
            case "val", "valid", "validation" -> Split.VAL;
            case "test" -> Split.TEST;
            default -> throw new IngestFailure(IngestFailure.Reason.UNKNOWN_SPLIT, "split '" + abbreviate(name)
                    + "' is none of train, val, test");
        };
    }

    private static String report(IngestItem item) throws IngestFailure {
        String text = item.reportText();
        if (text == null && item.reportFile() != null) {
            byte[] bytes = read(item.reportFile(), "report");
            try {
                text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                throw new IngestFailure(IngestFailure.Reason.EMPTY_REPORT, "report " + item.reportFile().getFileName()
                        + " is not UTF-8 text", e);
            }
        }
        if (text == null || text.isBlank()) {
            throw new IngestFailure(IngestFailure.Reason.EMPTY_REPORT, "the report of " + item.input() + " is empty");
        }
        return text.strip();
    }

    /** Boxes are given in pixels of the original image: checked against it, then scaled with the image. */
    private static List<Box> boxes(List<Box> given, LoadedImage image) throws IngestFailure {
        List<Box> boxes = new ArrayList<>();
        if (given == null) {
            return boxes;
        }
        for (Box box : given) {
            if (box.getWidth() <= 0 || box.getHeight() <= 0 || box.getX() < 0 || box.getY() < 0
                    || box.getX() + box.getWidth() > image.originalWidth() || box.getY() + box.getHeight() > image.originalHeight()) {
                throw new IngestFailure(IngestFailure.Reason.BOX_OUTSIDE_IMAGE, String.format(Locale.ROOT,
                        "box x=%d y=%d w=%d h=%d is not inside the %dx%d image", box.getX(), box.getY(), box.getWidth(),
                        box.getHeight(), image.originalWidth(), image.originalHeight()));
            }
            if (image.scale() == 1.0) {
                boxes.add(box);
            } else {
                int x = (int) Math.floor(box.getX() * image.scale());
                int y = (int) Math.floor(box.getY() * image.scale());
                int right = Math.min(image.width(), Math.max(x + 1, (int) Math.ceil((box.getX() + box.getWidth()) * image.scale())));
                int bottom = Math.min(image.height(), Math.max(y + 1, (int) Math.ceil((box.getY() + box.getHeight()) * image.scale())));
                boxes.add(new Box(x, y, right - x, bottom - y));
            }
        }
        return boxes;
    }

    private static byte[] read(Path file, String what) throws IngestFailure {
        if (file == null) {
            throw new IngestFailure(IngestFailure.Reason.MISSING_FILE, "no " + what + " file given");
        }
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IngestFailure(IngestFailure.Reason.MISSING_FILE, what + " file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new IngestFailure(IngestFailure.Reason.MISSING_FILE, what + " file " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }
}
