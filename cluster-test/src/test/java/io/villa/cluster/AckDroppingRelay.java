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
        AckDroppingRelay relay = new AckDroppingRelay(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), listenerPort);
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
        Socket listener = null;
        try {
            listener = new Socket(InetAddress.getLoopbackAddress(), listenerPort);
            sockets.add(listener);
            Socket upstream = listener;
            threads.submit(() -> pump(sender.getInputStream(), upstream.getOutputStream(), sender, upstream));
            InputStream answers = listener.getInputStream();
            OutputStream back = sender.getOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = answers.read(buffer)) >= 0) {
                if (armed.compareAndSet(true, false)) {
                    dropped.countDown();
                    break;
                }
                back.write(buffer, 0, n);
                back.flush();
            }
        } catch (IOException e) {
            // the listener is down or a side closed: close the other side too
        } finally {
            close(sender);
            close(listener);
        }
        return null;
    }

    private Void pump(InputStream from, OutputStream to, Socket a, Socket b) {
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = from.read(buffer)) >= 0) {
                to.write(buffer, 0, n);
                to.flush();
            }
        } catch (IOException e) {
            // a side closed
        } finally {
            close(a);
            close(b);
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
