package io.villa.cli.demo;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import org.apache.flink.annotation.VisibleForTesting;

/**
 * One live view of a running pipeline: on a terminal, a block of lines redrawn in place every second;
 * elsewhere (a log, CI), the same block printed every {@code plainEvery}. Shows counts and metrics only,
 * never record content.
 */
public final class StatusView implements AutoCloseable {

    /** How long the final status may take to read what the pipeline committed and the view has not read yet. */
    public static final Duration FINAL_READ = Duration.ofSeconds(90);

    private final PipelineMonitor monitor;
    private final PrintStream out;
    private final boolean redraw;
    private final Duration plainEvery;
    private final Supplier<String> header;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile PipelineStatus latest;
    private int linesDrawn;

    /**
     * @param header   the first line (what the run is doing, elapsed time), asked for at each refresh
     * @param redraw   redraw in place (a terminal) rather than print a new block
     */
    public StatusView(
            PipelineMonitor monitor, PrintStream out, boolean redraw, Duration plainEvery, Supplier<String> header) {
        this.monitor = monitor;
        this.out = out;
        this.redraw = redraw;
        this.plainEvery = plainEvery;
        this.header = header;
        this.thread = new Thread(this::loop, "status-view");
        this.thread.setDaemon(true);
    }

    /** True when standard output is a terminal that can redraw. */
    public static boolean terminal() {
        return System.console() != null && !"dumb".equals(System.getenv("TERM"));
    }

    public StatusView start() {
        thread.start();
        return this;
    }

    /** The last status read (null before the first); after {@link #close()}, the end state. */
    public PipelineStatus latest() {
        return latest;
    }

    private void loop() {
        long lastPrint = 0;
        while (running) {
            PipelineStatus status = monitor.poll();
            latest = status;
            long now = System.nanoTime();
            if (redraw || now - lastPrint >= plainEvery.toNanos()) {
                lastPrint = now;
                draw(render(header.get(), status));
            }
            sleep(redraw ? 1000 : 500);
        }
    }

    /** Stops refreshing and draws a final block: the end state, every committed record read. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        PipelineStatus status = monitor.pollToEnd(FINAL_READ);
        latest = status;
        draw(render(header.get(), status));
    }

    private synchronized void draw(List<String> lines) {
        StringBuilder sb = new StringBuilder();
        if (redraw && linesDrawn > 0) {
            sb.append("\u001b[").append(linesDrawn).append('A'); // back to the top of the block
        }
        for (String line : lines) {
            if (redraw) {
                sb.append("\u001b[2K"); // clear the old line
            }
            sb.append(line).append(System.lineSeparator());
        }
        if (!redraw) {
            sb.append(System.lineSeparator());
        }
        out.print(sb);
        out.flush();
        linesDrawn = lines.size();
    }

    /** The block of lines for one status. */
    public static List<String> render(String header, PipelineStatus s) {
        PipelineCounts c = s.counts();
        List<String> lines = new ArrayList<>();
        lines.add(header);
        lines.add(String.format(
                Locale.ROOT,
                "  pairs      produced %s | decomposed %s (%s) | dead-lettered %s | in flight %s | job offset lag %s%s",
                count(c.pairs().produced()),
                count(c.pairs().decomposed()),
                bySplit(c, sc -> sc.pairs().decomposed()),
                count(c.pairs().deadLettered()),
                count(c.pairs().unaccounted()),
                count(s.decomposeOffsetLag()),
                c.readToEnd()
                        ? ""
                        : c.unreadOffsets() < 0
                                ? " | counting"
                                : " | counting, " + count(c.unreadOffsets()) + " offsets to read"));
        lines.add("  dead letters " + deadLetters(c));
        lines.add("  mapping    " + mapping(s));
        lines.add(String.format(
                Locale.ROOT,
                "  regions    %s region records | with ground truth: %s",
                count(c.regionRecords()),
                bySplit(c, PipelineCounts.SplitCounts::evaluableRegions)));
        for (PipelineStatus.TrainerStatus t : s.trainers()) {
            lines.add(String.format(Locale.ROOT, "  %-10s %s", t.modelId(), trainer(t)));
        }
        return lines;
    }

    private static String bySplit(
            PipelineCounts c, java.util.function.ToLongFunction<PipelineCounts.SplitCounts> figure) {
        List<String> parts = new ArrayList<>();
        c.splits()
                .forEach(
                        (split, sc) -> parts.add(split.toLowerCase(Locale.ROOT) + " " + count(figure.applyAsLong(sc))));
        return parts.isEmpty() ? "none yet" : String.join(", ", parts);
    }

    private static String deadLetters(PipelineCounts c) {
        if (c.deadLetters() == 0) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        c.deadLettersByStage().forEach((stage, n) -> parts.add(stage + " " + count(n)));
        return count(c.deadLetters()) + ": " + String.join(", ", parts);
    }

    private static String mapping(PipelineStatus s) {
        if (s.mapping().isEmpty()) {
            return "warming up (no quality event yet)";
        }
        var m = s.mapping();
        StringBuilder sb = new StringBuilder(String.format(
                Locale.ROOT,
                "version %.0f, learned from %s train pairs | F1",
                m.getOrDefault("modelVersion", -1.0),
                count(m.getOrDefault("trainPairsSeen", -1.0).longValue())));
        for (String split : List.of("TRAIN", "VAL", "TEST")) {
            Double f1 = m.get(split + ".f1");
            if (f1 != null) {
                sb.append(String.format(Locale.ROOT, " %s %.3f", split.toLowerCase(Locale.ROOT), f1));
            }
        }
        if (m.containsKey("TRAIN.recentF1")) {
            sb.append(String.format(Locale.ROOT, " (recent train %.3f)", m.get("TRAIN.recentF1")));
        }
        if (m.containsKey("HELDOUT.f1")) {
            sb.append(String.format(
                    Locale.ROOT,
                    " | held-out %.3f on %.0f val pairs",
                    m.get("HELDOUT.f1"),
                    m.getOrDefault("HELDOUT.images", 0.0)));
        }
        return sb.toString();
    }

    @VisibleForTesting
    static String trainer(PipelineStatus.TrainerStatus t) {
        if (t.step() < 0) {
            return "waiting for region-attribute pairs";
        }
        String val = t.validation().isEmpty()
                ? "not evaluated yet"
                : String.format(
                        Locale.ROOT,
                        "t2r R-P %.3f, r2t R-P %.3f on %s regions",
                        t.validation().getOrDefault("t2r.rprecision", Double.NaN),
                        t.validation().getOrDefault("r2t.rprecision", Double.NaN),
                        count(t.evaluatedRegions().getOrDefault("VAL", -1L)));
        String test = t.evaluatedRegions().containsKey("TEST")
                ? " | test on " + count(t.evaluatedRegions().get("TEST")) + " regions"
                : "";
        String device = t.device() == null
                ? ""
                : " | on " + t.device() + ", " + t.memory().describe();
        return String.format(
                Locale.ROOT,
                "step %s, %s samples | loss %.3f | val %s%s | %s%s",
                count(t.step()),
                count(t.samplesSeen()),
                t.loss(),
                val,
                test,
                t.finished() ? "finished" : "offset lag " + count(t.offsetLag()),
                device);
    }

    private static String count(long n) {
        return n < 0 ? "?" : String.format(Locale.ROOT, "%,d", n);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
