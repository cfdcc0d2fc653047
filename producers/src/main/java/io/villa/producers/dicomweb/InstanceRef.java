package io.villa.producers.dicomweb;

import java.util.Objects;

/**
 * Where one instance lives on the DICOMweb server: its study, series and SOP instance UIDs. The UIDs are identifiers
 * (PHI under HIPAA's "any other unique identifying number"): they are used in requests only and never logged or
 * written, so {@link #toString()} hides them.
 */
public record InstanceRef(String studyUid, String seriesUid, String sopInstanceUid) {

    public InstanceRef {
        Objects.requireNonNull(studyUid, "studyUid");
        Objects.requireNonNull(seriesUid, "seriesUid");
        Objects.requireNonNull(sopInstanceUid, "sopInstanceUid");
    }

    /** The path of the instance under the service root: studies/S/series/E/instances/I. */
    String path() {
        return "studies/" + UidPaths.segment(studyUid) + "/series/" + UidPaths.segment(seriesUid) + "/instances/"
                + UidPaths.segment(sopInstanceUid);
    }

    @Override
    public String toString() {
        return "InstanceRef[UIDs hidden]";
    }
}
