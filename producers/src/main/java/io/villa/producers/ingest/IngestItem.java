package io.villa.producers.ingest;

import java.nio.file.Path;
import java.util.List;

import io.villa.records.Box;

/**
 * One input of a feed before it is read: where its image and report are, and what the feed says about it.
 *
 * @param input       how the summary and dead letters name it (relative path, or manifest file and line)
 * @param name        the stable part of the pair id: the image's path relative to the feed
 * @param image       the image file
 * @param reportText  the report itself, or null when it is in {@code reportFile}
 * @param reportFile  the report file, or null when {@code reportText} is given
 * @param boxes       region proposals in pixels of the original image, or null for none
 * @param split       "train", "val" or "test" (any case), or null for the default
 * @param id          the pair id the feed chose, or null to derive a stable one
 * @param problem     a problem found while listing the feed (e.g. a malformed manifest line), or null
 */
public record IngestItem(String input, String name, Path image, String reportText, Path reportFile, List<Box> boxes, String split,
                         String id, IngestFailure problem) {

    public static IngestItem broken(String input, IngestFailure problem) {
        return new IngestItem(input, input, null, null, null, null, null, null, problem);
    }
}
