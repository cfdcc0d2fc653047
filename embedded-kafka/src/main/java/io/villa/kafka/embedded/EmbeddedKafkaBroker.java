package io.villa.kafka.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;

import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.villa.kafka.KafkaSettings;
import io.villa.kafka.TopicAdmin;
import io.villa.kafka.TopicNames;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

/**
 * A real Kafka broker in KRaft mode (one node that is both broker and controller, no ZooKeeper),
 * running inside this JVM. Used by the all-in-one runner, {@code villa broker} and the tests.
 *
 * <p>Single-node settings (replication factor 1 for the internal topics) make transactions work, which the
 * decomposition job's exactly-once sink needs. Given a data directory, the broker formats it only the first
 * time and keeps its records across restarts; without one it uses a temporary directory and deletes it on
 * {@link #close()}.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final int NODE_ID = 1;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Path dataDir;
    private final boolean temporary;
    private final int port;
    private final KafkaRaftServer server;
    private boolean closed;

    private EmbeddedKafkaBroker(Builder builder) {
        if (builder.port > 0) {
            requireFree(builder.port);
        }
        try {
            this.temporary = builder.dataDir == null;
            this.dataDir = temporary ? Files.createTempDirectory("villa-kafka-") : builder.dataDir.toAbsolutePath();
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the broker's data directory", e);
        }
        this.port = builder.port > 0 ? builder.port : freePort();
        int controllerPort = freePort();
        Properties config = brokerConfig(port, controllerPort, builder.defaultPartitions);
        format(config);
        this.server = new KafkaRaftServer(KafkaConfig.fromProps(config), Time.SYSTEM);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts a broker on a free port with a temporary data directory. */
    public static EmbeddedKafkaBroker start() {
        return builder().start();
    }

    private EmbeddedKafkaBroker startAndWait() {
        long started = System.nanoTime();
        try {
            server.startup();
            awaitReady();
        } catch (RuntimeException e) {
            // the controller may be up while the broker failed (e.g. port taken): stop what started, then say why
            closeQuietly();
            throw new IllegalStateException("Kafka broker could not start on port " + port + ": " + rootMessage(e), e);
        }
        LOG.info("Kafka broker (KRaft) ready at {} in {} ms, data in {}", bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), dataDir);
        return this;
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Client settings for this broker, with no pass-through. */
    public KafkaSettings settings() {
        return KafkaSettings.of(bootstrapServers());
    }

    /** Creates the ViLLA topics (docs/ARCHITECTURE.md), those missing, with the given number of partitions. */
    public EmbeddedKafkaBroker createTopics(TopicNames topics, int partitions) {
        try (TopicAdmin admin = new TopicAdmin(settings())) {
            admin.createIfMissing(topics.all(), partitions, (short) 1);
        }
        return this;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.shutdown();
        server.awaitShutdown();
        if (temporary) {
            deleteRecursively(dataDir);
        }
        LOG.info("Kafka broker at {} stopped", bootstrapServers());
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException suppressed) {
            LOG.debug("while stopping a broker that failed to start", suppressed);
        }
    }

    /** The innermost message: Kafka wraps the useful one ("Address already in use") several levels deep. */
    private static String rootMessage(Throwable error) {
        String message = error.toString();
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t.getMessage() != null) {
                message = t.getMessage();
            }
        }
        return message;
    }

    private Properties brokerConfig(int brokerPort, int controllerPort, int defaultPartitions) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@localhost:" + controllerPort);
        p.put("listeners", "PLAINTEXT://localhost:" + brokerPort + ",CONTROLLER://localhost:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", dataDir.toString());
        p.put("num.partitions", String.valueOf(defaultPartitions));
        // one node: internal topics cannot be replicated; fewer partitions make start-up quick
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        // consumers in tests join at once instead of waiting for more members
        p.put("group.initial.rebalance.delay.ms", "0");
        // Flink's transactional sink keeps a transaction open up to a checkpoint interval (and restarts)
        p.put("transaction.max.timeout.ms", String.valueOf(Duration.ofMinutes(15).toMillis()));
        p.put("auto.create.topics.enable", "true");
        return p;
    }

    /** Formats the data directory for KRaft unless it already is (then its cluster id and records stay). */
    private void format(Properties config) {
        if (Files.exists(dataDir.resolve("meta.properties"))) {
            LOG.info("reusing formatted Kafka data directory {}", dataDir);
            return;
        }
        try {
            new Formatter()
                    .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .addDirectory(dataDir.toString())
                    .setMetadataLogDirectory(dataDir.toString())
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                    .setControllerListenerName("CONTROLLER")
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("could not format the Kafka data directory " + dataDir + ": " + e.getMessage(), e);
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(settings().adminConfig())) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("Kafka broker did not become ready within " + READY_TIMEOUT, e);
                    }
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker", e);
        }
    }

    /** Fails before anything starts (and before Kafka logs a fatal stack trace) when the port is taken. */
    private static void requireFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new java.net.InetSocketAddress("localhost", port));
        } catch (IOException e) {
            throw new IllegalStateException("Kafka broker could not start on port " + port + ": " + e.getMessage()
                    + " (another broker running? pick another --port, or 0 for a free one)", e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", dir, e.getMessage());
        }
    }

    /** How to start a broker. */
    public static final class Builder {
        private Path dataDir;
        private int port;
        private int defaultPartitions = 1;

        /** Keep data here across restarts (default: a temporary directory deleted on close). */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** Listen on this port (default: a free one). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Partitions of topics created automatically. */
        public Builder defaultPartitions(int partitions) {
            this.defaultPartitions = partitions;
            return this;
        }

        public EmbeddedKafkaBroker start() {
            return new EmbeddedKafkaBroker(this).startAndWait();
        }
    }

}
