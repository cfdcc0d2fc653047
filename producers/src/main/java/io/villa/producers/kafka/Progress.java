package io.villa.producers.kafka;

import java.time.temporal.ChronoUnit;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar of attempts handled, with records/s; a no-op when turned off (tests, logs). */
final class Progress implements AutoCloseable {

    private final ProgressBar bar;
    private long handled;

    private Progress(ProgressBar bar) {
        this.bar = bar;
    }

    static Progress start(boolean show, String task, long total) {
        if (!show) {
            return new Progress(null);
        }
        return new Progress(new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII)
                .setUnit(" records", 1)
                .showSpeed()
                .setSpeedUnit(ChronoUnit.SECONDS)
                .setUpdateIntervalMillis(250)
                .build());
    }

    void step(ProduceSummary summary) {
        handled++;
        if (bar != null) {
            bar.stepTo(Math.min(handled, bar.getMax() < 0 ? handled : bar.getMax()));
            bar.setExtraMessage(summary.failed() == 0 ? "" : summary.failed() + " failed");
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
