package io.villa.schemas;

import io.villa.records.DeadLetter;
import io.villa.records.ImageReportPair;
import io.villa.records.RegionAttributePair;
import io.villa.records.TrainerEvent;

/** One shared codec per record type (docs/ARCHITECTURE.md, "Topics and records"). */
public final class Codecs {

    public static final AvroCodec<ImageReportPair> IMAGE_REPORT_PAIR = AvroCodec.of(ImageReportPair.class);
    public static final AvroCodec<RegionAttributePair> REGION_ATTRIBUTE_PAIR = AvroCodec.of(RegionAttributePair.class);
    public static final AvroCodec<DeadLetter> DEAD_LETTER = AvroCodec.of(DeadLetter.class);
    public static final AvroCodec<TrainerEvent> TRAINER_EVENT = AvroCodec.of(TrainerEvent.class);

    private Codecs() {
    }
}
