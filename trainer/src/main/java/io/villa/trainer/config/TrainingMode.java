package io.villa.trainer.config;

import io.villa.records.RegionAttributePair;

/**
 * Which records a run learns from. Both modes use the same model and the same budget, so that they
 * compare honestly; only the data differs.
 */
public enum TrainingMode {
    /** ViLLA: every region with its assigned text, plus every whole image with its whole report. */
    VILLA,
    /** The CLIP baseline: whole image-report pairs only. */
    CLIP;

    /** Whether a training-split record is a training example in this mode. */
    public boolean learnsFrom(RegionAttributePair record) {
        return learnsFrom(record.getWholeImage());
    }

    /** Same rule for an already decoded example. */
    public boolean learnsFrom(boolean wholeImage) {
        return this == VILLA || wholeImage;
    }

    public static TrainingMode parse(String name) {
        return valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
    }
}
