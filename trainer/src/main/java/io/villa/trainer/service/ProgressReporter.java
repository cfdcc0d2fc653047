package io.villa.trainer.service;

import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The console status of a running trainer: steps/s, regions/s, loss, consumer lag and the latest
 * evaluation, on a progress bar (bounded when a step limit is set) or, without a console, as a log
 * line every 10 seconds. Never shows record content.
 */
public final class ProgressReporter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProgressReporter.class);
    private static final long LOG_EVERY_NANOS = 10_000_000_000L;

    private final ProgressBar bar;
    private final long startNanos = System.nanoTime();
    private final long startStep;
    private final long startRegions;
    private long lastLog = System.nanoTime();
    private String evaluation = "-";
    private String device = "";

    public ProgressReporter(boolean console, long firstStep, long firstRegions, long maxSteps) {
        this.startStep = firstStep;
        this.startRegions = firstRegions;
        this.bar = console
                ? new ProgressBarBuilder()
                        .setTaskName("train")
                        .setInitialMax(maxSteps > 0 ? maxSteps : -1)
                        .setStyle(ProgressBarStyle.ASCII)
                        .setUpdateIntervalMillis(500)
                        .continuousUpdate()
                        .build()
                : null;
        if (bar != null) {
            bar.stepTo(firstStep);
        }
    }

    public void evaluated(String summary) {
        evaluation = summary;
    }

    /** The device and its memory, e.g. "gpu(0) memory 3.10 GiB used (peak 3.20 GiB) of 139.81 GiB", for the log line. */
    public void device(String summary) {
        device = " | " + summary;
    }

    public void update(long step, long samples, long regions, double loss, long lag) {
        double seconds = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
        String line = String.format(
                Locale.ROOT,
                "loss %.3f | %.2f steps/s | %.1f regions/s | lag %s | val %s",
                loss,
                (step - startStep) / seconds,
                (regions - startRegions) / seconds,
                lag < 0 ? "?" : Long.toString(lag),
                evaluation);
        if (bar != null) {
            bar.stepTo(step);
            bar.setExtraMessage(line);
        } else if (System.nanoTime() - lastLog > LOG_EVERY_NANOS) {
            lastLog = System.nanoTime();
            LOG.info("step {} samples {} | {}{}", step, samples, line, device);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
