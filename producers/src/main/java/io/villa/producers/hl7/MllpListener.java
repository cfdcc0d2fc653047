package io.villa.producers.hl7;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP server that speaks MLLP: one thread per connection reads a frame, hands it to the {@link FrameHandler} and
 * writes back the answer the handler returns (the ACK) before it reads the next one, so a sender's messages are
 * handled in its order. {@link #stop} is graceful: no new connection or message is taken, a message being handled is
 * finished and ACKed, idle connections are closed; a frame half-read at that moment is dropped without an ACK (its
 * sender resends it).
 */
public final class MllpListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MllpListener.class);

    /** Handles one frame; returns the bytes to send back (never null). Called from several threads at once. */
    public interface FrameHandler {
        byte[] handle(MllpFrames.Frame frame, String peer);
    }

    private final InetAddress bindAddress;
    private final int requestedPort;
    private final int maxMessageBytes;
    private final int maxConnections;
    private final FrameHandler handler;
    private final Set<ConnectionLoop> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connectionIds = new AtomicInteger();
    private ServerSocket server;
    private ExecutorService workers;
    private Thread acceptor;
    private volatile boolean stopping;

    private MllpListener(Builder builder) {
        this.bindAddress = builder.bindAddress;
        this.requestedPort = builder.port;
        this.maxMessageBytes = builder.maxMessageBytes;
        this.maxConnections = builder.maxConnections;
        this.handler = builder.handler;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Binds the port and starts accepting connections. */
    public synchronized MllpListener start() {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        try {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(bindAddress, requestedPort), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot listen on " + bindAddress.getHostAddress() + ":" + requestedPort + ": " + e.getMessage(),
                    e);
        }
        workers = Executors.newFixedThreadPool(maxConnections, runnable -> {
            Thread thread = new Thread(runnable, "mllp-connection-" + connectionIds.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        acceptor = new Thread(this::acceptLoop, "mllp-accept-" + port());
        acceptor.setDaemon(true);
        acceptor.start();
        LOG.info(
                "MLLP listener on {}:{} (at most {} connections, messages up to {} bytes)",
                bindAddress.getHostAddress(),
                port(),
                maxConnections,
                maxMessageBytes);
        return this;
    }

    /** The bound port (the requested one, or the one the system chose for port 0). */
    public int port() {
        return server.getLocalPort();
    }

    /** Open connections now. */
    public int connections() {
        return connections.size();
    }

    private void acceptLoop() {
        while (!stopping) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!stopping) {
                    LOG.error("MLLP listener stopped accepting: {}", e.getMessage());
                }
                return;
            }
            String peer = socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
            if (connections.size() >= maxConnections) {
                LOG.warn("refused the connection from {}: {} connections are open already", peer, maxConnections);
                closeQuietly(socket);
                continue;
            }
            ConnectionLoop loop = new ConnectionLoop(socket, peer);
            connections.add(loop);
            try {
                workers.execute(loop);
            } catch (RejectedExecutionException e) {
                // stop() began between accept and here
                connections.remove(loop);
                closeQuietly(socket);
                return;
            }
            if (stopping) {
                loop.stopWhenIdle();
            }
        }
    }

    /**
     * Stops taking messages, lets the ones being handled finish (ACK included) for up to {@code grace}, then closes
     * what is left. Idempotent.
     */
    public void stop(Duration grace) {
        synchronized (this) {
            if (server == null || stopping) {
                return;
            }
            stopping = true;
        }
        closeQuietly(server);
        connections.forEach(ConnectionLoop::stopWhenIdle);
        workers.shutdown();
        try {
            if (!workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn(
                        "{} connections still busy after {} s: closing them (their senders get no ACK and resend)",
                        connections.size(),
                        grace.toSeconds());
                connections.forEach(ConnectionLoop::close);
                workers.shutdownNow();
                workers.awaitTermination(5, TimeUnit.SECONDS);
            }
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("MLLP listener on port {} stopped", server.getLocalPort());
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(30));
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.debug("close: {}", e.getMessage());
        }
    }

    /** One connection: read a frame, handle it, answer it, until the sender hangs up or the listener stops. */
    private final class ConnectionLoop implements Runnable {
        private final Socket socket;
        private final String peer;
        private boolean busy;
        private boolean done;

        ConnectionLoop(Socket socket, String peer) {
            this.socket = socket;
            this.peer = peer;
        }

        @Override
        public void run() {
            LOG.debug("connection from {}", peer);
            try (socket) {
                socket.setTcpNoDelay(true);
                InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
                OutputStream out = new BufferedOutputStream(socket.getOutputStream());
                while (true) {
                    MllpFrames.Frame frame = MllpFrames.read(in, maxMessageBytes);
                    if (frame == null || !begin()) {
                        return;
                    }
                    try {
                        MllpFrames.write(out, handler.handle(frame, peer));
                    } finally {
                        end();
                    }
                }
            } catch (SocketException e) {
                LOG.debug("connection from {} closed: {}", peer, e.getMessage());
            } catch (IOException e) {
                LOG.warn("connection from {} failed: {}", peer, e.getMessage());
            } catch (RuntimeException e) {
                LOG.error("connection from {} ended by an error", peer, e);
            } finally {
                connections.remove(this);
                LOG.debug("connection from {} ended", peer);
            }
        }

        private synchronized boolean begin() {
            if (done) {
                return false;
            }
            busy = true;
            return true;
        }

        private synchronized void end() {
            busy = false;
            if (done) {
                closeQuietly(socket);
            }
        }

        /** The listener stops: close now if idle, else after the message in hand is answered. */
        synchronized void stopWhenIdle() {
            done = true;
            if (!busy) {
                closeQuietly(socket);
            }
        }

        synchronized void close() {
            done = true;
            closeQuietly(socket);
        }
    }

    /** {@code set*} required, {@code opt*} optional. */
    public static final class Builder {
        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private Integer port;
        private int maxMessageBytes = MllpFrames.DEFAULT_MAX_MESSAGE_BYTES;
        private int maxConnections = 32;
        private FrameHandler handler;

        private Builder() {}

        /** The TCP port; 0 lets the system choose (tests). */
        public Builder setPort(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port: " + port + " is not a TCP port (0-65535)");
            }
            this.port = port;
            return this;
        }

        public Builder setHandler(FrameHandler handler) {
            this.handler = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /** The address to listen on (default: loopback only). */
        public Builder optBindAddress(InetAddress address) {
            this.bindAddress = Objects.requireNonNull(address, "bindAddress");
            return this;
        }

        public Builder optMaxMessageBytes(int bytes) {
            this.maxMessageBytes = MllpFrames.checkMaxMessageBytes(bytes);
            return this;
        }

        public Builder optMaxConnections(int connections) {
            if (connections < 1) {
                throw new IllegalArgumentException("maxConnections: " + connections + " is below 1");
            }
            this.maxConnections = connections;
            return this;
        }

        public MllpListener build() {
            if (port == null) {
                throw new IllegalStateException("port: not set");
            }
            if (handler == null) {
                throw new IllegalStateException("handler: not set");
            }
            return new MllpListener(this);
        }
    }
}
