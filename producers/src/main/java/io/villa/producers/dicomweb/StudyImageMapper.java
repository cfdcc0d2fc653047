package io.villa.producers.dicomweb;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import io.villa.deid.Pseudonyms;
import io.villa.producers.docmnist.PngEncoder;
import io.villa.producers.ingest.ImageLoader;
import io.villa.producers.ingest.IngestFailure;
import io.villa.producers.ingest.LoadedImage;
import io.villa.records.Box;
import io.villa.records.Image;
import io.villa.records.RegionTruth;
import io.villa.records.StudyImage;

/**
 * Turns one instance's DICOM attributes and rendered pixels into a de-identified {@link StudyImage}. Reads
 * AccessionNumber and SOPInstanceUID only to pseudonymise them, Modality and ViewPosition as they are, the image
 * attributes to render, BurnedInAnnotation to refuse, and ImageComments only with simulator truth on. Nothing else of
 * the header leaves: no names, dates, UIDs, descriptions or comments.
 */
public final class StudyImageMapper {

    /** Longest side accepted before rendering (rows, columns). */
    public static final int MAX_SIDE_PIXELS = 16_384;
    /** Longest Modality or ViewPosition value copied (both are CS, at most 16 characters). */
    static final int MAX_CODE_CHARS = 16;

    private final Pseudonyms pseudonyms;
    private final String source;
    private final Set<String> modalities;
    private final Pattern seriesDescription;
    private final boolean allowBurnedIn;
    private final boolean simulatorTruth;
    private final boolean invertMonochrome1;
    private final ImageLoader loader;
    private final Clock clock;

    private StudyImageMapper(Builder b) {
        this.pseudonyms = b.pseudonyms;
        this.source = b.source;
        this.modalities = b.modalities;
        this.seriesDescription = b.seriesDescription;
        this.allowBurnedIn = b.allowBurnedIn;
        this.simulatorTruth = b.simulatorTruth;
        this.invertMonochrome1 = b.invertMonochrome1;
        this.loader = new ImageLoader(b.maxSide);
        this.clock = b.clock;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The instance key of a SOP instance UID (the contract's kind "instance"). */
    public String instanceKey(String sopInstanceUid) {
        return pseudonyms.of("instance", sopInstanceUid.strip());
    }

    /** What to do with an instance, decided from its attributes before any pixels are fetched. */
    public sealed interface Plan permits Skip, Render {
    }

    /** Not for this feed (another modality, a series description that does not match): marked seen, not sent. */
    public record Skip(String why) implements Plan {
    }

    /** Fetch the rendered image with this window (null: the server's default) and build the record. */
    public record Render(String studyKey, String instanceKey, RenderWindow window, boolean monochrome1, int rows,
                         int columns, String modality, String viewPosition, SimulatorTruth truth) implements Plan {
    }

    /**
     * Decides from the attributes alone.
     *
     * @param studyKeyOut receives the study key as soon as it is known, so that a refusal can be keyed by it
     * @throws InstanceRejected for an instance that belongs to the feed but cannot be sent
     */
    public Plan plan(DicomJson metadata, String[] studyKeyOut) throws InstanceRejected {
        String modality = metadata.string(DicomJson.MODALITY).map(m -> m.toUpperCase(Locale.ROOT)).orElse("");
        if (!modalities.isEmpty() && !modalities.contains(modality)) {
            return new Skip("modality not in the feed's list");
        }
        if (seriesDescription != null
                && !seriesDescription.matcher(metadata.string(DicomJson.SERIES_DESCRIPTION).orElse("")).find()) {
            return new Skip("series description does not match");
        }
        String sop = metadata.string(DicomJson.SOP_INSTANCE_UID).orElseThrow(() ->
                new InstanceRejected(InstanceRejected.Reason.NO_SOP_INSTANCE_UID, "the instance has no SOPInstanceUID"));
        String accession = metadata.string(DicomJson.ACCESSION_NUMBER).orElseThrow(() ->
                new InstanceRejected(InstanceRejected.Reason.NO_ACCESSION_NUMBER,
                        "the instance has no AccessionNumber (0008,0050): it cannot be joined with its report"));
        String studyKey = pseudonyms.of("accession", accession.strip());
        studyKeyOut[0] = studyKey;
        if (!allowBurnedIn && "YES".equalsIgnoreCase(metadata.string(DicomJson.BURNED_IN_ANNOTATION).orElse(""))) {
            throw new InstanceRejected(InstanceRejected.Reason.BURNED_IN_ANNOTATION,
                    "BurnedInAnnotation (0028,0301) is YES: the pixels may show identifying text"
                            + " (refused; --allow-burned-in sends such images)");
        }
        int rows = (int) metadata.number(DicomJson.ROWS).orElse(0);
        int columns = (int) metadata.number(DicomJson.COLUMNS).orElse(0);
        if (rows <= 0 || columns <= 0) {
            throw new InstanceRejected(InstanceRejected.Reason.NOT_AN_IMAGE, "the instance has no Rows/Columns");
        }
        if (rows > MAX_SIDE_PIXELS || columns > MAX_SIDE_PIXELS) {
            throw new InstanceRejected(InstanceRejected.Reason.IMAGE_TOO_LARGE, String.format(Locale.ROOT,
                    "%dx%d pixels, over the limit of %d per side", columns, rows, MAX_SIDE_PIXELS));
        }
        SimulatorTruth truth = null;
        if (simulatorTruth) {
            truth = SimulatorTruth.parse(metadata.string(DicomJson.IMAGE_COMMENTS).orElse(null), columns, rows);
        }
        boolean monochrome1 = "MONOCHROME1".equalsIgnoreCase(metadata.string(DicomJson.PHOTOMETRIC_INTERPRETATION).orElse(""));
        return new Render(studyKey, instanceKey(sop), RenderWindow.of(metadata), monochrome1, rows, columns,
                code(modality), code(metadata.string(DicomJson.VIEW_POSITION).orElse(null)), truth);
    }

    /** Builds the record from the server's rendering (8-bit PNG, presentation-ready). */
    public StudyImage toRecord(Render plan, byte[] renderedPng) throws InstanceRejected {
        byte[] png = plan.monochrome1() && invertMonochrome1 ? invert(renderedPng) : renderedPng;
        LoadedImage image;
        try {
            image = loader.load(png, "instance " + plan.instanceKey());
        } catch (IngestFailure e) {
            throw new InstanceRejected(InstanceRejected.Reason.UNRENDERABLE_IMAGE, "the rendered image: " + e.getMessage(), e);
        }
        if (image.originalWidth() != plan.columns() || image.originalHeight() != plan.rows()) {
            throw new InstanceRejected(InstanceRejected.Reason.UNRENDERABLE_IMAGE, String.format(Locale.ROOT,
                    "rendered %dx%d, the DICOM says %dx%d", image.originalWidth(), image.originalHeight(), plan.columns(), plan.rows()));
        }
        StudyImage.Builder record = StudyImage.newBuilder()
                .setStudyKey(plan.studyKey())
                .setInstanceKey(plan.instanceKey())
                .setSource(source)
                .setImage(new Image(ByteBuffer.wrap(image.data()), image.format(), image.width(), image.height()))
                .setModality(plan.modality())
                .setViewPosition(plan.viewPosition())
                .setSplit(null)
                .setRegions(List.of())
                .setGroundTruth(null)
                .setEventTime(clock.instant());
        SimulatorTruth truth = plan.truth();
        if (truth != null) {
            record.setSplit(truth.split()).setRegions(scale(truth.regions(), image)).setGroundTruth(truth.groundTruth() == null
                    ? null : new ArrayList<RegionTruth>(truth.groundTruth()));
        }
        return record.build();
    }

    private static List<Box> scale(List<Box> regions, LoadedImage image) {
        if (image.scale() == 1.0) {
            return new ArrayList<>(regions);
        }
        List<Box> scaled = new ArrayList<>(regions.size());
        for (Box box : regions) {
            int x = (int) Math.floor(box.getX() * image.scale());
            int y = (int) Math.floor(box.getY() * image.scale());
            int right = Math.min(image.width(), Math.max(x + 1, (int) Math.ceil((box.getX() + box.getWidth()) * image.scale())));
            int bottom = Math.min(image.height(), Math.max(y + 1, (int) Math.ceil((box.getY() + box.getHeight()) * image.scale())));
            scaled.add(new Box(x, y, right - x, bottom - y));
        }
        return scaled;
    }

    /** For servers whose rendering leaves MONOCHROME1 as stored (low values white): maximum minus value. */
    static byte[] invert(byte[] png) throws InstanceRejected {
        BufferedImage image;
        try {
            image = ImageIO.read(new ByteArrayInputStream(png));
        } catch (IOException | RuntimeException e) {
            image = null;
        }
        if (image == null || image.getRaster().getNumBands() != 1) {
            throw new InstanceRejected(InstanceRejected.Reason.UNRENDERABLE_IMAGE, "a MONOCHROME1 rendering that is not one grey band");
        }
        WritableRaster raster = image.getRaster();
        int max = (1 << image.getColorModel().getComponentSize(0)) - 1;
        int[] row = new int[raster.getWidth()];
        for (int y = 0; y < raster.getHeight(); y++) {
            raster.getSamples(0, y, row.length, 1, 0, row);
            for (int x = 0; x < row.length; x++) {
                row[x] = max - row[x];
            }
            raster.setSamples(0, y, row.length, 1, 0, row);
        }
        return PngEncoder.encode(image);
    }

    /** A coded value (CS) copied only when it looks like one: short, letters, digits, spaces, underscores. */
    private static String code(String value) {
        if (value == null || value.isBlank() || value.length() > MAX_CODE_CHARS
                || !value.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ' || c == '_')) {
            return null;
        }
        return value.strip();
    }

    public static final class Builder {
        private Pseudonyms pseudonyms;
        private String source = "dicomweb";
        private Set<String> modalities = Set.of("CR", "DX");
        private Pattern seriesDescription;
        private boolean allowBurnedIn;
        private boolean simulatorTruth;
        private boolean invertMonochrome1;
        private int maxSide = 1024;
        private Clock clock = Clock.systemUTC();

        public Builder setPseudonyms(Pseudonyms pseudonyms) {
            this.pseudonyms = Objects.requireNonNull(pseudonyms, "pseudonyms");
            return this;
        }

        public Builder optSource(String source) {
            if (source == null || source.isBlank()) {
                throw new IllegalArgumentException("source must not be blank");
            }
            this.source = source;
            return this;
        }

        /** Modalities to send, upper case; empty: all. */
        public Builder optModalities(Set<String> modalities) {
            Set<String> upper = new java.util.LinkedHashSet<>();
            for (String m : modalities) {
                upper.add(m.strip().toUpperCase(Locale.ROOT));
            }
            this.modalities = Set.copyOf(upper);
            return this;
        }

        public Builder optSeriesDescription(Pattern pattern) {
            this.seriesDescription = pattern;
            return this;
        }

        public Builder optAllowBurnedIn(boolean allow) {
            this.allowBurnedIn = allow;
            return this;
        }

        public Builder optSimulatorTruth(boolean read) {
            this.simulatorTruth = read;
            return this;
        }

        public Builder optInvertMonochrome1(boolean invert) {
            this.invertMonochrome1 = invert;
            return this;
        }

        public Builder optMaxSide(int maxSide) {
            if (maxSide < 0) {
                throw new IllegalArgumentException("maxSide must not be negative (0 = never downscale)");
            }
            this.maxSide = maxSide;
            return this;
        }

        public Builder optClock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public StudyImageMapper build() {
            if (pseudonyms == null) {
                throw new IllegalStateException("pseudonyms not set");
            }
            return new StudyImageMapper(this);
        }
    }
}
