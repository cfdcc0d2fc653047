package io.villa.flink.faults;

import java.util.List;
import java.util.stream.Collectors;

/** One category's run: its records' ledger and how the job ended (null when it could not run). */
record BatteryRun(String category, String title, Ledger ledger, JobOutcome outcome) {

    /** The ledger's entries of this run's hostile category (not the valid pairs sent alongside). */
    List<Ledger.Entry> hostile() {
        return ledger.entries().stream().filter(e -> e.record.category().equals(category)).collect(Collectors.toList());
    }

    List<Ledger.Entry> valid() {
        return ledger.entries().stream().filter(e -> e.record.category().equals(BatteryRecord.VALID)).collect(Collectors.toList());
    }

    int restartsCaused() {
        return outcome == null ? 0 : outcome.restartsCaused();
    }
}
