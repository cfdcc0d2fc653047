package io.villa.flink.io;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.KafkaSourceEnumState;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded {@link KafkaSource} that also ends after a restore. The connector's enumerator, recreated from a
 * checkpoint, finds every partition already in its state and never tells the readers that no more splits come
 * (FLINK-31006, open in flink-connector-kafka 5.0.0-2.2): the readers stop at their end offsets and the job runs
 * forever. Here a restored enumerator checks the topic's partitions once; when its state holds them all, nothing
 * new can be assigned, and each reader is told so. Otherwise the connector's own discovery assigns the new
 * partitions and ends the input itself. Fresh starts are the connector's, untouched.
 */
public final class RestoredBoundedKafkaSource<T>
        implements Source<T, KafkaPartitionSplit, KafkaSourceEnumState>, ResultTypeQueryable<T> {

    private static final long serialVersionUID = 1L;

    private final KafkaSource<T> delegate;
    private final String topic;
    private final HashMap<String, Object> adminConfig;

    public RestoredBoundedKafkaSource(KafkaSource<T> delegate, String topic, Map<String, Object> adminConfig) {
        if (delegate.getBoundedness() != Boundedness.BOUNDED) {
            throw new IllegalArgumentException("only a bounded KafkaSource needs this");
        }
        this.delegate = delegate;
        this.topic = topic;
        this.adminConfig = new HashMap<>(adminConfig);
    }

    @Override
    public Boundedness getBoundedness() {
        return delegate.getBoundedness();
    }

    @Override
    public SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> createEnumerator(
            SplitEnumeratorContext<KafkaPartitionSplit> context) {
        return delegate.createEnumerator(context);
    }

    @Override
    public SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> restoreEnumerator(
            SplitEnumeratorContext<KafkaPartitionSplit> context, KafkaSourceEnumState state) throws Exception {
        Set<TopicPartition> restored = new HashSet<>();
        state.assignedSplits().forEach(s -> restored.add(s.getTopicPartition()));
        state.unassignedSplits().forEach(s -> restored.add(s.getTopicPartition()));
        return new EndingEnumerator(delegate.restoreEnumerator(context, state), context, restored);
    }

    @Override
    public SimpleVersionedSerializer<KafkaPartitionSplit> getSplitSerializer() {
        return delegate.getSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<KafkaSourceEnumState> getEnumeratorCheckpointSerializer() {
        return delegate.getEnumeratorCheckpointSerializer();
    }

    @Override
    public SourceReader<T, KafkaPartitionSplit> createReader(SourceReaderContext readerContext) throws Exception {
        return new StoppingReader<>(delegate.createReader(readerContext));
    }

    /** The connector's reader; a split without a stopping offset stops at the partition's end offset when it is added. */
    private static final class StoppingReader<T> implements SourceReader<T, KafkaPartitionSplit> {
        private final SourceReader<T, KafkaPartitionSplit> reader;

        StoppingReader(SourceReader<T, KafkaPartitionSplit> reader) {
            this.reader = reader;
        }

        @Override
        public void addSplits(List<KafkaPartitionSplit> splits) {
            reader.addSplits(splits.stream()
                    .map(s -> s.getStoppingOffset().isPresent()
                            ? s
                            : new KafkaPartitionSplit(
                                    s.getTopicPartition(), s.getStartingOffset(), KafkaPartitionSplit.LATEST_OFFSET))
                    .toList());
        }

        @Override
        public void start() {
            reader.start();
        }

        @Override
        public org.apache.flink.core.io.InputStatus pollNext(
                org.apache.flink.api.connector.source.ReaderOutput<T> output) throws Exception {
            return reader.pollNext(output);
        }

        @Override
        public List<KafkaPartitionSplit> snapshotState(long checkpointId) {
            return reader.snapshotState(checkpointId);
        }

        @Override
        public java.util.concurrent.CompletableFuture<Void> isAvailable() {
            return reader.isAvailable();
        }

        @Override
        public void notifyNoMoreSplits() {
            reader.notifyNoMoreSplits();
        }

        @Override
        public void handleSourceEvents(org.apache.flink.api.connector.source.SourceEvent sourceEvent) {
            reader.handleSourceEvents(sourceEvent);
        }

        @Override
        public void pauseOrResumeSplits(java.util.Collection<String> pause, java.util.Collection<String> resume) {
            reader.pauseOrResumeSplits(pause, resume);
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) throws Exception {
            reader.notifyCheckpointComplete(checkpointId);
        }

        @Override
        public void notifyCheckpointAborted(long checkpointId) throws Exception {
            reader.notifyCheckpointAborted(checkpointId);
        }

        @Override
        public void close() throws Exception {
            reader.close();
        }
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return delegate.getProducedType();
    }

    /** The restored connector enumerator, plus the end-of-input signal it forgets. */
    private final class EndingEnumerator implements SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> {

        private final Logger log = LoggerFactory.getLogger(RestoredBoundedKafkaSource.class);
        private final SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> enumerator;
        private final SplitEnumeratorContext<KafkaPartitionSplit> context;
        private final Set<TopicPartition> restored;
        private boolean stateCoversTopic;

        EndingEnumerator(
                SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> enumerator,
                SplitEnumeratorContext<KafkaPartitionSplit> context,
                Set<TopicPartition> restored) {
            this.enumerator = enumerator;
            this.context = context;
            this.restored = restored;
        }

        @Override
        public void start() {
            enumerator.start();
            context.callAsync(this::topicPartitions, (partitions, error) -> {
                if (error != null) {
                    // the connector's own discovery fails the same way and the job restarts: nothing to add here
                    log.warn("could not list the partitions of {} after a restore: {}", topic, error.toString());
                    return;
                }
                stateCoversTopic = restored.containsAll(partitions);
                if (stateCoversTopic) {
                    log.info(
                            "restored bounded source holds all {} partitions of {}: ending the input at its end offsets",
                            partitions.size(),
                            topic);
                    context.registeredReaders().keySet().forEach(context::signalNoMoreSplits);
                }
            });
        }

        private List<TopicPartition> topicPartitions() throws Exception {
            try (Admin admin = Admin.create(adminConfig)) {
                return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
                        .map(p -> new TopicPartition(topic, p.partition()))
                        .toList();
            }
        }

        @Override
        public void addReader(int subtaskId) {
            enumerator.addReader(subtaskId); // assigns what the state still holds for it first
            if (stateCoversTopic) {
                context.signalNoMoreSplits(subtaskId);
            }
        }

        @Override
        public void handleSplitRequest(int subtaskId, String requesterHostname) {
            enumerator.handleSplitRequest(subtaskId, requesterHostname);
        }

        @Override
        public void addSplitsBack(List<KafkaPartitionSplit> splits, int subtaskId) {
            enumerator.addSplitsBack(splits, subtaskId);
        }

        @Override
        public KafkaSourceEnumState snapshotState(long checkpointId) throws Exception {
            return enumerator.snapshotState(checkpointId);
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) throws Exception {
            enumerator.notifyCheckpointComplete(checkpointId);
        }

        @Override
        public void handleSourceEvent(int subtaskId, org.apache.flink.api.connector.source.SourceEvent sourceEvent) {
            enumerator.handleSourceEvent(subtaskId, sourceEvent);
        }

        @Override
        public void close() throws java.io.IOException {
            enumerator.close();
        }
    }
}
