package io.villa.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates, lists and describes topics. */
public final class TopicAdmin implements AutoCloseable {

    private final Admin admin;

    public TopicAdmin(KafkaSettings settings) {
        this.admin = Admin.create(settings.adminConfig());
    }

    /**
     * Creates the topics that do not exist yet; existing ones are left as they are.
     *
     * @return the names that were created
     */
    public List<String> createIfMissing(Collection<String> names, int partitions, short replicationFactor) {
        List<String> created = new ArrayList<>();
        for (String name : names) {
            try {
                admin.createTopics(List.of(new NewTopic(name, partitions, replicationFactor)))
                        .all()
                        .get();
                created.add(name);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException(
                            "could not create topic " + name + ": "
                                    + e.getCause().getMessage(),
                            e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating topic " + name, e);
            }
        }
        awaitLeaders(created, Duration.ofSeconds(30));
        return created;
    }

    /**
     * Waits until every partition of these topics has a leader that serves it: a topic the controller has
     * created is not yet known to every broker, and clients that use it at once would see "unknown topic or
     * partition"; a leader named in the metadata may still answer "not leader" for a moment, which can leave an
     * idempotent producer retrying one batch until it expires. Asking each leader for its end offset proves it serves.
     */
    public void awaitLeaders(Collection<String> names, Duration timeout) {
        if (names.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                Map<String, TopicDescription> described = describe(names);
                if (described.values().stream()
                                .allMatch(d -> d.partitions().stream().allMatch(p -> p.leader() != null))
                        && leadersServe(described)) {
                    return;
                }
            } catch (IllegalStateException e) {
                last = e; // not known yet: try again
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for topics " + names, e);
            }
        }
        throw new IllegalStateException("topics " + names + " have no leaders after " + timeout, last);
    }

    /** True when every partition's leader answers an end-offset request. */
    private boolean leadersServe(Map<String, TopicDescription> described) {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        described.forEach((name, d) ->
                d.partitions().forEach(p -> request.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
        try {
            admin.listOffsets(request, new ListOffsetsOptions().timeoutMs(2_000))
                    .all()
                    .get();
            return true;
        } catch (ExecutionException e) {
            return false; // not serving yet: asked again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for topics " + described.keySet(), e);
        }
    }

    public Set<String> list() {
        return get(admin.listTopics().names());
    }

    public Map<String, TopicDescription> describe(Collection<String> names) {
        return get(admin.describeTopics(names).allTopicNames());
    }

    private static <T> T get(org.apache.kafka.common.KafkaFuture<T> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
