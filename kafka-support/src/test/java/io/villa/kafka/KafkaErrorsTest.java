package io.villa.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.junit.jupiter.api.Test;

import io.villa.records.DeadLetter;
import io.villa.schemas.Codecs;

/** The classifier against Kafka's own exception types, as sends and their futures report them. */
class KafkaErrorsTest {

    @Test
    void aRecordsOwnErrorsAreRecordErrors() {
        assertThat(KafkaErrors.isRecordError(new RecordTooLargeException("The message is 2000000 bytes")))
                .isTrue();
        assertThat(KafkaErrors.isRecordError(new RecordBatchTooLargeException("batch")))
                .isTrue();
        assertThat(KafkaErrors.isRecordError(new SerializationException("cannot serialize")))
                .isTrue();
        assertThat(KafkaErrors.isRecordError(new InvalidRecordException("compacted topic needs a key")))
                .isTrue();
        assertThat(KafkaErrors.isRecordError(new InvalidTimestampException("out of range")))
                .isTrue();
    }

    @Test
    void producerLevelErrorsAreNotRecordErrors() {
        for (KafkaException fatal : new KafkaException[] {
            new TopicAuthorizationException("Not authorized to access topics: [villa.image-report-pairs]"),
            new ClusterAuthorizationException("idempotent write"),
            new TransactionalIdAuthorizationException("txn"),
            new AuthenticationException("SASL"),
            new ProducerFencedException("fenced"),
            new InvalidProducerEpochException("old epoch"),
            new UnsupportedVersionException("broker too old"),
            new OutOfOrderSequenceException("sequence"),
            new TimeoutException("Expiring 12 record(s): 120000 ms has passed since batch creation"),
            new KafkaException("Cannot execute transactional method because we are in an error state")
        }) {
            assertThat(KafkaErrors.isRecordError(fatal))
                    .as(fatal.getClass().getSimpleName())
                    .isFalse();
        }
    }

    @Test
    void retriableMeansKafkaSaysItMayPass() {
        assertThat(KafkaErrors.isRetriable(new TimeoutException("delivery"))).isTrue();
        assertThat(KafkaErrors.isRetriable(new NotLeaderOrFollowerException("moving")))
                .isTrue();
        assertThat(KafkaErrors.isRetriable(new ProducerFencedException("fenced")))
                .isFalse();
        assertThat(KafkaErrors.isRetriable(new TopicAuthorizationException("denied")))
                .isFalse();
        assertThat(KafkaErrors.isRetriable(new RecordTooLargeException("big"))).isFalse();
    }

    @Test
    void futuresAreLookedInto() {
        assertThat(KafkaErrors.isRecordError(new ExecutionException(new RecordTooLargeException("big"))))
                .isTrue();
        assertThat(KafkaErrors.isRecordError(
                        new CompletionException(new ExecutionException(new SerializationException("x")))))
                .isTrue();
        assertThat(KafkaErrors.isRecordError(new ExecutionException(new ProducerFencedException("fenced"))))
                .isFalse();
        // a record error somewhere below a producer-level one is not the record's: the producer failed
        assertThat(KafkaErrors.isRecordError(new KafkaException("commit failed", new RecordTooLargeException("big"))))
                .isFalse();
    }

    @Test
    void theFatalMessageNamesWhatStoppedAndWhatKafkaSaid() {
        FatalKafkaException e = new FatalKafkaException(
                "produce.folder",
                new ExecutionException(
                        new ProducerFencedException("There is a newer producer with the same transactionalId")));
        assertThat(e.getMessage())
                .startsWith(
                        "produce.folder stopped: Kafka failed with ProducerFencedException: There is a newer producer")
                .contains("Nothing after it was sent or dead-lettered");
        assertThat(e.getCause()).isInstanceOf(ProducerFencedException.class);
    }

    @Test
    void aRecordAvroCannotEncodeIsASerializationError() {
        DeadLetter incomplete = new DeadLetter(); // required fields left null
        try (AvroKafkaSerializer<DeadLetter> serializer = new AvroKafkaSerializer<>(Codecs.DEAD_LETTER)) {
            Throwable thrown =
                    org.assertj.core.api.Assertions.catchThrowable(() -> serializer.serialize("t", incomplete));
            assertThat(thrown).isInstanceOf(SerializationException.class).hasMessageContaining("DeadLetter");
            assertThat(KafkaErrors.isRecordError(thrown)).isTrue();
        }
    }
}
