package io.villa.producers.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A folder feed: every image (.png, .jpg, .jpeg) with a report file of the same stem (.txt) next to it, in any
 * sub-folder. An image without its report, or a report without its image, is an input that failed (MISSING_FILE).
 * Listed in path order, so runs are repeatable.
 */
public final class FolderFeed {

    static final List<String> IMAGE_EXTENSIONS = List.of("png", "jpg", "jpeg");
    static final String REPORT_EXTENSION = "txt";

    private FolderFeed() {
    }

    public static List<IngestItem> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " is not a directory");
        }
        Map<String, Path[]> byStem = new TreeMap<>(); // relative stem -> {image, report}
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted()
                    .forEach(file -> {
                        String relative = relative(dir, file);
                        int dot = relative.lastIndexOf('.');
                        if (dot <= relative.lastIndexOf('/')) {
                            return;
                        }
                        String extension = relative.substring(dot + 1).toLowerCase(Locale.ROOT);
                        String stem = relative.substring(0, dot);
                        if (IMAGE_EXTENSIONS.contains(extension)) {
                            Path[] pair = byStem.computeIfAbsent(stem, s -> new Path[2]);
                            if (pair[0] == null) {
                                pair[0] = file;
                            }
                        } else if (REPORT_EXTENSION.equals(extension)) {
                            byStem.computeIfAbsent(stem, s -> new Path[2])[1] = file;
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        List<IngestItem> items = new ArrayList<>();
        byStem.forEach((stem, pair) -> {
            if (pair[0] == null) {
                String input = relative(dir, pair[1]);
                items.add(IngestItem.broken(input, new IngestFailure(IngestFailure.Reason.MISSING_FILE,
                        "report " + input + " has no image (" + String.join(", ", IMAGE_EXTENSIONS) + ") of the same name")));
            } else {
                String input = relative(dir, pair[0]);
                Path report = pair[1] != null ? pair[1] : dir.resolve(stem + "." + REPORT_EXTENSION);
                items.add(new IngestItem(input, input, pair[0], null, report, null, null, null, null));
            }
        });
        return items;
    }

    private static String relative(Path dir, Path file) {
        return dir.relativize(file).toString().replace('\\', '/');
    }
}
