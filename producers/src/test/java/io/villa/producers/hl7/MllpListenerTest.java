package io.villa.producers.hl7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.villa.deid.Pseudonyms;
import io.villa.kafka.KafkaSettings;

/** The listener's stop and the handler's answer when Kafka is away, over real sockets. */
class MllpListenerTest {

    @Test
    void stopFinishesTheMessageInHandAndClosesIdleConnections() throws Exception {
        CountDownLatch handling = new CountDownLatch(1);
        MllpListener listener = MllpListener.builder().setPort(0).setHandler((frame, peer) -> {
            handling.countDown();
            sleep(700);
            return ("ACK " + new String(frame.data(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        }).build().start();
        try (MllpTestClient busy = new MllpTestClient(listener.port()); MllpTestClient idle = new MllpTestClient(listener.port())) {
            CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> {
                try {
                    return busy.send("in hand");
                } catch (IOException e) {
                    return "failed: " + e.getMessage();
                }
            });
            assertThat(handling.await(10, TimeUnit.SECONDS)).isTrue();
            long started = System.nanoTime();
            listener.stop(Duration.ofSeconds(10));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofMillis(300));
            assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo("ACK in hand");
            assertThat(listener.connections()).isZero();
            assertThatThrownBy(() -> idle.send("after the stop")).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> new MllpTestClient(listener.port()).send("new")).isInstanceOf(IOException.class);
        }
    }

    @Test
    void whenKafkaDoesNotAcknowledgeTheAnswerIsAeAndNoReportIsClaimed() throws Exception {
        // nothing listens on port 1: the producer never gets metadata
        KafkaSettings nowhere = new KafkaSettings("127.0.0.1:1", Map.of("max.block.ms", "500", "request.timeout.ms", "500",
                "delivery.timeout.ms", "1000"));
        try (Hl7ReportHandler handler = Hl7ReportHandler.builder().setKafka(nowhere)
                .setPseudonyms(Pseudonyms.withKey(new byte[32])).setReportsTopic("r").setDeadLettersTopic("d")
                .optSendTimeout(Duration.ofSeconds(2)).build()) {
            byte[] oru = OruFixtures.oru(1).getBytes(StandardCharsets.UTF_8);
            String ack = new String(handler.handle(new MllpFrames.Frame(oru, oru.length), "test"), StandardCharsets.UTF_8);
            assertThat(MllpTestClient.ackCode(ack)).isEqualTo("AE");
            assertThat(ack).contains("send it again");
            assertThat(handler.accepted()).isZero();
            assertThat(handler.unstored()).isEqualTo(1);
            assertThat(handler.rejected()).isZero();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
