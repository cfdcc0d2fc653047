package io.villa.producers.simulator;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.app.HL7Service;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.protocol.ReceivingApplication;
import ca.uhn.hl7v2.util.idgenerator.InMemoryIDGenerator;

/**
 * A real MLLP server (HAPI's) that records every message it receives and acknowledges AA, except the first
 * {@code refusals} messages, which get an AE (so the sender's resend is exercised).
 */
final class Hl7TestListener implements AutoCloseable {

    private final HapiContext context = new DefaultHapiContext();
    private final HL7Service service;
    private final int port;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger refusalsLeft;

    Hl7TestListener(int refusals) throws IOException, InterruptedException {
        this(refusals, freePort());
    }

    /** On a given port (e.g. a restart on the port of a listener closed before). */
    Hl7TestListener(int refusals, int port) throws IOException, InterruptedException {
        this.refusalsLeft = new AtomicInteger(refusals);
        this.port = port;
        context.setExecutorService(Executors.newCachedThreadPool()); // not HAPI's JVM-wide default (see MllpSender)
        // ACK control ids from memory: HAPI's default generator writes a file (id_file) into the working directory
        context.getParserConfiguration().setIdGenerator(new InMemoryIDGenerator());
        service = context.newServer(port, false);
        service.registerApplication("ORU", "R01", new ReceivingApplication<Message>() {
            @Override
            public Message processMessage(Message message, Map<String, Object> metadata) throws HL7Exception {
                try {
                    received.add(message.encode());
                    if (refusalsLeft.getAndDecrement() > 0) {
                        return message.generateACK(AcknowledgmentCode.AE, new HL7Exception("test: refused once"));
                    }
                    return message.generateACK();
                } catch (IOException e) {
                    throw new HL7Exception(e);
                }
            }

            @Override
            public boolean canProcess(Message message) {
                return true;
            }
        });
        service.startAndWait();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    int port() {
        return port;
    }

    /** Every message received, in order, resends included (pipe-encoded). */
    List<String> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() throws IOException {
        service.stopAndWait();
        context.close();
    }
}
