package io.villa.producers.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import ca.uhn.hl7v2.model.Message;
import io.villa.records.Split;

/** The sender's resends over a real MLLP socket: refused twice then acknowledged; nobody listening. */
class MllpSenderIT {

    private static Message report() throws Exception {
        return new OruMessageFactory(true)
                .finalReport(new StudyPlanner(1, 0, 0).plan(SimulatedStudyTest.sample(Split.TRAIN, 0)));
    }

    @Test
    void resendsTheSameMessageUntilAcknowledged() throws Exception {
        try (Hl7TestListener listener = new Hl7TestListener(2);
                MllpSender sender = new MllpSender(
                        "127.0.0.1", listener.port(), 5, Duration.ofMillis(10), Duration.ofSeconds(10))) {
            assertThat(sender.send(report())).isTrue();
            assertThat(sender.sent()).isEqualTo(3);
            assertThat(sender.refused()).isEqualTo(2);
            assertThat(sender.acknowledged()).isEqualTo(1);
            assertThat(sender.givenUp()).isZero();
            assertThat(listener.received())
                    .hasSize(3)
                    .allMatch(m -> m.equals(listener.received().get(0)));
        }
    }

    @Test
    void reconnectsWhenTheListenerRestarts() throws Exception {
        Message report = report();
        try (MllpSender sender =
                new MllpSender("127.0.0.1", freshListenerPort(), 6, Duration.ofMillis(50), Duration.ofSeconds(5))) {
            int port = sender.port();
            try (Hl7TestListener first = new Hl7TestListener(0, port)) {
                assertThat(sender.send(report)).isTrue();
                assertThat(first.received()).hasSize(1);
            }
            try (Hl7TestListener second = new Hl7TestListener(0, port)) {
                assertThat(sender.send(report)).isTrue();
                assertThat(second.received()).hasSize(1);
            }
            assertThat(sender.acknowledged()).isEqualTo(2);
            assertThat(sender.givenUp()).isZero();
        }
    }

    private static int freshListenerPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void givesUpAfterTheLastAttemptWhenNobodyListens() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (MllpSender sender = new MllpSender("127.0.0.1", port, 2, Duration.ofMillis(10), Duration.ofSeconds(2))) {
            assertThat(sender.send(report())).isFalse();
            assertThat(sender.sent()).isEqualTo(2);
            assertThat(sender.unanswered()).isEqualTo(2);
            assertThat(sender.givenUp()).isEqualTo(1);
            assertThat(sender.lastFailure()).isNotBlank();
        }
    }
}
