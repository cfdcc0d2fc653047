package io.villa.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP relay on loopback between an MLLP sender and the listener, which can lose one answer: armed with
 * {@link #dropNextAnswer()}, it does not pass on the next bytes the listener sends (the ACK of the message in flight,
 * sent only once that message's report is stored) and closes both connections instead. The sender then sees what a
 * kill of the listener between Kafka's acknowledgement and the ACK leaves it: a stored message, no ACK, a closed
 * connection. A connection the listener refuses (it is down) is closed at once.
 */
final class AckDroppingRelay implements AutoCloseable {

    private final ServerSocket server;
    private final int listenerPort;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "mllp-relay");
        thread.setDaemon(true);
        return thread;
    });
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean armed = new AtomicBoolean();
    private final CountDownLatch dropped = new CountDownLatch(1);

    private AckDroppingRelay(ServerSocket server, int listenerPort) {
        this.server = server;
        this.listenerPort = listenerPort;
    }

    /** Relays connections to a free loopback port on to the listener's {@code listenerPort}. */
    static AckDroppingRelay start(int listenerPort) throws IOException {
        AckDroppingRelay relay =
                new AckDroppingRelay(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), listenerPort);
        relay.threads.submit(relay::accept);
        return relay;
    }

    int port() {
        return server.getLocalPort();
    }

    /** Loses the next answer of the listener (once). */
    void dropNextAnswer() {
        armed.set(true);
    }

    /** Whether an answer was lost within {@code timeout}. */
    boolean awaitDropped(Duration timeout) throws InterruptedException {
        return dropped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private Void accept() {
        while (!server.isClosed()) {
            try {
                Socket sender = server.accept();
                threads.submit(() -> relay(sender));
            } catch (IOException e) {
                // closed
            }
        }
        return null;
    }

    private Void relay(Socket sender) {
        sockets.add(sender);
        try {
            Socket listener = new Socket(InetAddress.getLoopbackAddress(), listenerPort);
            sockets.add(listener);
            threads.submit(() -> pump(sender, listener, false));
            pump(listener, sender, true);
        } catch (IOException e) {
            close(sender); // the listener is down
        }
        return null;
    }

    /** Copies bytes from one socket to the other until either closes, then closes both; answers may be lost. */
    private Void pump(Socket from, Socket to, boolean answers) {
        byte[] buffer = new byte[8192];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (answers && armed.compareAndSet(true, false)) {
                    dropped.countDown();
                    break;
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // a side closed
        } finally {
            close(from);
            close(to);
        }
        return null;
    }

    private void close(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
            sockets.remove(socket);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        sockets.forEach(this::close);
        threads.shutdownNow();
    }
}
