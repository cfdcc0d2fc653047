package io.villa.cli;

import io.villa.cli.commands.BrokerCommand;
import io.villa.cli.commands.QueryCommand;
import io.villa.cli.commands.TailCommand;
import io.villa.cli.commands.TopicsCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code villa} command: one entry point, one subcommand per job. */
@Command(name = "villa", mixinStandardHelpOptions = true, version = "ViLLA Stream 0.1.0",
        description = "ViLLA Stream: image-report pairs through Kafka, decomposed by Flink, learned by a DJL trainer.",
        subcommands = {
                BrokerCommand.class,
                TopicsCommand.class,
                TailCommand.class,
                QueryCommand.class,
                CommandLine.HelpCommand.class,
        })
public final class VillaCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // DJL must never try to download PyTorch: it comes from the pytorch-native-cpu jar on the class path.
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        System.exit(commandLine().execute(args));
    }

    /** The command tree, for tests and for embedding. */
    public static CommandLine commandLine() {
        return new CommandLine(new VillaCommand()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
