package io.villa.flink.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.villa.records.DeadLetter;

/**
 * The battery's table (per category: sent, reached dead letters, decomposed, lost, duplicated, wrong outcome, job
 * restarts caused), how each run of the job ended, and every failure, as Markdown. Ids, counts and error classes
 * only: never report text or pixels.
 */
final class BatteryReport {

    /** At most this many failure lines per category in the report (the counts are in the table). */
    private static final int FAILURES_SHOWN = 25;

    private final List<BatteryRun> runs;
    private final long seed;

    BatteryReport(List<BatteryRun> runs, long seed) {
        this.runs =
                runs.stream().sorted(Comparator.comparing(BatteryRun::category)).toList();
        this.seed = seed;
    }

    /** Sum over every category and the valid pairs. */
    Ledger.Tally total() {
        Ledger.Tally t = new Ledger.Tally();
        for (BatteryRun run : runs) {
            if (run.ledger() != null) {
                t.add(Ledger.tally(run.ledger().entries()));
            }
        }
        return t;
    }

    int restarts() {
        return runs.stream().mapToInt(BatteryRun::restartsCaused).sum();
    }

    int unaccountedOutputs() {
        return runs.stream()
                .filter(r -> r.ledger() != null)
                .mapToInt(r -> r.ledger().unaccounted().size())
                .sum();
    }

    List<String> failures() {
        List<String> out = new ArrayList<>();
        for (BatteryRun run : runs) {
            if (run.ledger() != null) {
                out.addAll(run.ledger().failures());
            }
        }
        return out;
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Hostile-record battery\n\n");
        md.append("Seed ")
                .append(seed)
                .append(". One bounded run of the decomposition job per category (`--restart-attempts 0`), ")
                .append(
                        "each with valid DocMNIST pairs around the hostile records; every record accounted by source offset.\n\n");
        md.append("| category | records sent | reached dead letters | decomposed | lost | duplicated | wrong outcome "
                + "| bad output | job restarts caused |\n");
        md.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        Ledger.Tally valid = new Ledger.Tally();
        for (BatteryRun run : runs) {
            if (run.ledger() == null) {
                md.append("| ")
                        .append(run.category())
                        .append(" ")
                        .append(run.title())
                        .append(" | not run |||||||\n");
                continue;
            }
            row(
                    md,
                    "(" + run.category() + ") " + run.title(),
                    Ledger.tally(run.hostile()),
                    String.valueOf(run.restartsCaused()));
            if (run.category().equals("h")) {
                Map<String, List<Ledger.Entry>> kinds = new LinkedHashMap<>();
                run.hostile().stream()
                        .sorted(Comparator.comparing(e -> e.record.label()))
                        .forEach(e -> kinds.computeIfAbsent(e.record.label(), k -> new ArrayList<>())
                                .add(e));
                kinds.forEach((kind, entries) -> row(md, "&nbsp;&nbsp;(h) " + kind, Ledger.tally(entries), ""));
            }
            valid.add(Ledger.tally(run.valid()));
        }
        row(md, "valid DocMNIST pairs (in every run)", valid, "");
        row(md, "**total**", total(), String.valueOf(restarts()));
        md.append("\nlost, duplicated, wrong outcome, bad output and job restarts must all be 0; ")
                .append(unaccountedOutputs())
                .append(" output records belonged to no record sent (must be 0).\n");

        md.append("\n## Runs\n\n| category | job | seconds | valid pairs sent / decomposed / lost | failure cause |\n"
                + "|---|---|--:|---|---|\n");
        for (BatteryRun run : runs) {
            JobOutcome o = run.outcome();
            Ledger.Tally v = run.ledger() == null ? new Ledger.Tally() : Ledger.tally(run.valid());
            md.append(String.format(
                    "| (%s) | %s | %.1f | %d / %d / %d | %s |%n",
                    run.category(),
                    o == null ? "not run" : o.status(),
                    o == null ? 0.0 : o.seconds(),
                    v.sent,
                    v.decomposed,
                    v.lost,
                    o == null || o.cause() == null ? "" : "`" + o.cause().replace("|", "\\|") + "`"));
        }

        md.append("\n## Dead-letter reasons per category\n\n");
        for (BatteryRun run : runs) {
            if (run.ledger() == null) {
                continue;
            }
            Map<String, int[]> reasons = new LinkedHashMap<>();
            Map<String, String> example = new LinkedHashMap<>();
            for (Ledger.Entry e : run.hostile()) {
                for (DeadLetter letter : e.deadLetters) {
                    String k = letter.getStage() + " " + letter.getErrorClass();
                    reasons.computeIfAbsent(k, x -> new int[1])[0]++;
                    example.putIfAbsent(k, Ledger.reason(letter));
                }
            }
            md.append("- (").append(run.category()).append(")");
            md.append(reasons.isEmpty() ? " none\n" : "\n");
            reasons.forEach((k, n) -> md.append("  - ")
                    .append(n[0])
                    .append(" x `")
                    .append(example.get(k).replace("`", "'"))
                    .append("`\n"));
        }

        md.append("\n## Failures\n\n");
        List<String> failures = failures();
        if (failures.isEmpty()) {
            md.append("none\n");
        }
        Map<String, Integer> shown = new LinkedHashMap<>();
        for (String f : failures) {
            String category = f.startsWith("[") ? f.substring(1, f.indexOf(']')) : "?";
            int n = shown.merge(category, 1, Integer::sum);
            if (n <= FAILURES_SHOWN) {
                md.append("- ").append(f).append("\n");
            } else if (n == FAILURES_SHOWN + 1) {
                md.append("- [").append(category).append("] ... more, see the table's counts\n");
            }
        }
        return md.toString();
    }

    private static void row(StringBuilder md, String name, Ledger.Tally t, String restarts) {
        md.append(String.format(
                "| %s | %d | %d | %d | %d | %d | %d | %d | %s |%n",
                name,
                t.sent,
                t.deadLettered,
                t.decomposed,
                t.lost,
                t.duplicated,
                t.wrongOutcome,
                t.badOutput,
                restarts));
    }

    /** Writes the report, and each failed run's whole stack trace, under {@code dir}. */
    void write(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("battery.md"), markdown());
            for (BatteryRun run : runs) {
                if (run.outcome() != null && run.outcome().stackTrace() != null) {
                    Files.writeString(
                            dir.resolve("battery-" + run.category() + "-job-failure.txt"),
                            run.outcome().stackTrace());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
