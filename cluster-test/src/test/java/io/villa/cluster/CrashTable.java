package io.villa.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * The crash part of the fault suite as one table: each scenario writes its row (before its assertions, so a failing run
 * still shows its figures) to target/fault-suite/rows/, and target/fault-suite/crashes.md is rebuilt from all rows, so
 * it holds the latest result of every scenario run since the last clean. The table is printed to System.out as well.
 */
final class CrashTable {

    static final String HEADER = """
            | fault | pairs sent | decomposed | lost | duplicated | time until output resumed | notes |
            | --- | ---: | ---: | ---: | ---: | ---: | --- |""";

    private CrashTable() {
    }

    /**
     * @param order   position of the row in the table (scenario number)
     * @param resumed time from the fault to the next growth of committed output; empty if it never grew again
     */
    static void record(int order, String fault, CrashAudit audit, OptionalLong resumed, String notes) {
        String row = String.format("| %s | %d | %d | %d | %d | %s | %s |", fault, audit.sent(), audit.decomposed().size(),
                audit.lost().size(), audit.duplicated().size(),
                resumed.isPresent() ? String.format("%.1f s", resumed.getAsLong() / 1e9) : "never", notes);
        Path dir = Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve("target").resolve("fault-suite");
        try {
            Path rows = Files.createDirectories(dir.resolve("rows"));
            Files.writeString(rows.resolve(order + ".md"), row + System.lineSeparator());
            List<String> table = new ArrayList<>(List.of("# Crash scenarios", "", HEADER));
            try (Stream<Path> files = Files.list(rows)) {
                for (Path file : files.sorted().toList()) {
                    table.addAll(Files.readAllLines(file));
                }
            }
            Files.write(dir.resolve("crashes.md"), table);
            System.out.println(String.join(System.lineSeparator(), table));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
