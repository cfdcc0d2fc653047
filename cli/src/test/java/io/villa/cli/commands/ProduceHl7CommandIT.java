package io.villa.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.villa.cli.VillaCommand;
import io.villa.kafka.embedded.EmbeddedKafkaBroker;
import io.villa.producers.hl7.MllpFrames;
import picocli.CommandLine;

/** villa produce hl7 as a user runs it: options, a clear error without a key, one message ACKed, a clean stop. */
class ProduceHl7CommandIT {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private CommandLine villa() {
        CommandLine villa = VillaCommand.commandLine();
        villa.setOut(new PrintWriter(out, true));
        villa.setErr(new PrintWriter(err, true));
        return villa;
    }

    @Test
    void helpNamesTheOptions() {
        assertThat(villa().execute("produce", "hl7", "--help")).isZero();
        assertThat(out.toString())
                .contains(
                        "--listen",
                        "--accession-field",
                        "--max-message-bytes",
                        "--pseudonym-key-file",
                        "--bootstrap",
                        "--topic-study-reports",
                        "OBR-3");
    }

    @Test
    void withoutAKeyItSaysHowToGiveOne() {
        CommandLine villa = villa();
        ProduceHl7Command command = villa.getSubcommands()
                .get("produce")
                .getSubcommands()
                .get("hl7")
                .getCommand();
        assertThat(command).isNotNull();
        // the test's environment may hold a key: the file option is checked first, so point it at a missing file
        int exit = villa.execute(
                "produce",
                "hl7",
                "--listen",
                "0",
                "--pseudonym-key-file",
                dir.resolve("missing").toString());
        assertThat(exit).isNotZero();
        assertThat(err.toString()).contains("--pseudonym-key-file");
    }

    @Test
    void aMessageIsAckedAndCtrlCStopsTheListener() throws Exception {
        Path key = dir.resolve("key");
        Files.writeString(key, "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            CommandLine villa = villa();
            ProduceHl7Command command = villa.getSubcommands()
                    .get("produce")
                    .getSubcommands()
                    .get("hl7")
                    .getCommand();
            command.stopRequest = new CompletableFuture<>();
            ExecutorService runner = Executors.newSingleThreadExecutor();
            Future<Integer> exit = runner.submit(() -> villa.execute(
                    "produce",
                    "hl7",
                    "--listen",
                    "0",
                    "--bind",
                    "127.0.0.1",
                    "--bootstrap",
                    broker.bootstrapServers(),
                    "--pseudonym-key-file",
                    key.toString()));
            long deadline = System.currentTimeMillis() + 60_000;
            while (command.listener == null && System.currentTimeMillis() < deadline && !exit.isDone()) {
                Thread.sleep(20);
            }
            assertThat(command.listener).as(err.toString()).isNotNull();

            String oru = "MSH|^~\\&|RIS|H|VILLA|R|20310506143500||ORU^R01|M1|P|2.5.1\r"
                    + "PID|1||MRN1^^^H^MR||DOE^JANE\r"
                    + "OBR|1||ACC1|71046|||||||||||||||||||||F\r"
                    + "OBX|1|TX|IMP||Jane Doe: no acute findings.||||||F\r";
            String ack;
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), command.listener.port())) {
                socket.setSoTimeout(30_000);
                OutputStream to = socket.getOutputStream();
                InputStream from = socket.getInputStream();
                MllpFrames.write(to, oru.getBytes(StandardCharsets.UTF_8));
                ack = new String(MllpFrames.read(from, 100_000).data(), StandardCharsets.UTF_8);
            }
            assertThat(ack).contains("MSA|AA|M1");

            command.stopRequest.complete("SIGINT");
            assertThat(exit.get(60, TimeUnit.SECONDS)).as(err.toString()).isZero();
            runner.shutdown();
            assertThat(out.toString())
                    .contains(
                            "HL7 listener on 127.0.0.1:",
                            "SIGINT: finishing the messages in hand",
                            "1 messages accepted (1 reports), 0 rejected");
        }
    }
}
