package io.villa.producers.dicomweb;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

/**
 * Writes DICOM files with DCMTK (Debian package {@code dcmtk}), an independent implementation, for tests and the
 * simulator: {@code img2dcm} turns a BMP that Java's ImageIO wrote into an 8-bit MONOCHROME2 Secondary Capture,
 * {@code dcmodify} sets attributes (and, for 12-16-bit images, the bit depth and the pixel data from a raw file), and
 * {@code dcmdump} shows the result. img2dcm makes new study, series and instance UIDs unless the tags given set them.
 */
public final class Dcmtk {

    private Dcmtk() {
    }

    /** True when img2dcm, dcmodify and dcmdump are on the PATH. */
    public static boolean available() {
        return List.of("img2dcm", "dcmodify", "dcmdump").stream().allMatch(Dcmtk::onPath);
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /**
     * An 8-bit MONOCHROME2 DICOM file of a grey image, with the attributes given (keyword=value, e.g.
     * {@code AccessionNumber}, {@code PatientName}, {@code BurnedInAnnotation}).
     */
    public static Path grey8(Path dir, String name, BufferedImage image, Map<String, String> tags) {
        BufferedImage grey = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        grey.getGraphics().drawImage(image, 0, 0, null);
        try {
            Path bmp = dir.resolve(name + ".bmp");
            if (!ImageIO.write(grey, "bmp", bmp.toFile())) {
                throw new IllegalStateException("no BMP writer");
            }
            Path dcm = dir.resolve(name + ".dcm");
            run("img2dcm", "-q", "-i", "BMP", bmp.toString(), dcm.toString());
            Files.delete(bmp);
            modify(dcm, tags);
            return dcm;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A 16-bit-allocated greyscale DICOM file: {@code pixels} (row by row, each below 2^bitsStored) with the
     * photometric interpretation given (MONOCHROME1 or MONOCHROME2) and the attributes given.
     */
    public static Path grey16(Path dir, String name, int width, int height, int[] pixels, int bitsStored,
                              String photometric, Map<String, String> tags) {
        if (pixels.length != width * height) {
            throw new IllegalArgumentException("pixels: " + pixels.length + " values for " + width + "x" + height);
        }
        if (bitsStored < 9 || bitsStored > 16) {
            throw new IllegalArgumentException("bitsStored must be 9 to 16");
        }
        Path dcm = grey8(dir, name, new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY), Map.of());
        ByteBuffer raw = ByteBuffer.allocate(pixels.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int p : pixels) {
            if (p < 0 || p >= 1 << bitsStored) {
                throw new IllegalArgumentException("a pixel value outside 0.." + ((1 << bitsStored) - 1));
            }
            raw.putShort((short) p);
        }
        try {
            Path rawFile = dir.resolve(name + ".raw");
            Files.write(rawFile, raw.array());
            run("dcmodify", "-nb", "-q", "-m", "BitsAllocated=16", "-m", "BitsStored=" + bitsStored,
                    "-m", "HighBit=" + (bitsStored - 1), "-m", "PhotometricInterpretation=" + photometric,
                    "-if", "PixelData=" + rawFile, dcm.toString());
            Files.delete(rawFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        modify(dcm, tags);
        return dcm;
    }

    /** Sets (inserts or replaces) attributes: keyword=value. */
    public static void modify(Path dcm, Map<String, String> tags) {
        if (tags.isEmpty()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("dcmodify", "-nb", "-q"));
        tags.forEach((tag, value) -> {
            command.add("-i");
            command.add(tag + "=" + value);
        });
        command.add(dcm.toString());
        run(command.toArray(String[]::new));
    }

    /** dcmdump's text of the file. */
    public static String dump(Path dcm) {
        return run("dcmdump", "-q", dcm.toString());
    }

    private static String run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command[0] + " did not finish in 60 s");
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(command[0] + " failed (" + process.exitValue() + "): " + text);
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command[0], e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
