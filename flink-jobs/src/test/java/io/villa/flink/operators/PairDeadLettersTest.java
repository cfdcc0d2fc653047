package io.villa.flink.operators;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import io.villa.flink.io.KeyedBytes;
import io.villa.records.DeadLetter;
import io.villa.schemas.AvroBytes;
import io.villa.schemas.Codecs;

class PairDeadLettersTest {

    @Test
    void theDeadLetterCarriesTheRecordAsItArrivedWithTheStageAndReason() {
        PreparedPair pair = new PreparedPair();
        pair.pairId = "pair-9";
        pair.topic = "pairs";
        pair.partition = 2;
        pair.offset = 41;
        pair.rawKey = "pair-9".getBytes(StandardCharsets.UTF_8);
        pair.rawValue = new byte[] {1, 2, 3};

        KeyedBytes out = PairDeadLetters.of(
                        LoggerFactory.getLogger(PairDeadLettersTest.class),
                        "decompose.apply",
                        pair,
                        new IllegalArgumentException("region 3 is too large"),
                        1_000_000)
                .getValue();

        DeadLetter letter = Codecs.DEAD_LETTER.decode(out.value);
        assertThat(out.key).isEqualTo(pair.rawKey);
        assertThat(letter.getStage()).isEqualTo("decompose.apply");
        assertThat(letter.getSourceTopic()).isEqualTo("pairs");
        assertThat(letter.getSourcePartition()).isEqualTo(2);
        assertThat(letter.getSourceOffset()).isEqualTo(41L);
        assertThat(letter.getErrorClass()).isEqualTo(IllegalArgumentException.class.getName());
        assertThat(letter.getErrorMessage()).isEqualTo("region 3 is too large");
        assertThat(AvroBytes.copyOf(letter.getOriginalValue())).containsExactly(1, 2, 3);
    }
}
