package io.villa.cli;

import io.villa.cli.commands.BrokerCommand;
import io.villa.cli.commands.DecomposeCommand;
import io.villa.cli.commands.DemoCommand;
import io.villa.cli.commands.DataCommand;
import io.villa.cli.commands.DocMnistCommand;
import io.villa.cli.commands.EvalCommand;
import io.villa.cli.commands.ExperimentCommand;
import io.villa.cli.commands.ExtractCommand;
import io.villa.cli.commands.JoinCommand;
import io.villa.cli.commands.ProduceCommand;
import io.villa.cli.commands.QueryCommand;
import io.villa.cli.commands.SimulateCommand;
import io.villa.cli.commands.StatusCommand;
import io.villa.cli.commands.TailCommand;
import io.villa.cli.commands.TopicsCommand;
import io.villa.cli.commands.TrainCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code villa} command: one entry point, one subcommand per job. */
@Command(name = "villa", mixinStandardHelpOptions = true, version = "ViLLA Stream 0.1.0",
        description = "ViLLA Stream: image-report pairs through Kafka, decomposed by Flink, learned by a DJL trainer.",
        subcommands = {
                BrokerCommand.class,
                TopicsCommand.class,
                TailCommand.class,
                DecomposeCommand.class,
                JoinCommand.class,
                ExtractCommand.class,
                TrainCommand.class,
                EvalCommand.class,
                QueryCommand.class,
                DataCommand.class,
                DocMnistCommand.class,
                ProduceCommand.class,
                SimulateCommand.class,
                DemoCommand.class,
                ExperimentCommand.class,
                StatusCommand.class,
                CommandLine.HelpCommand.class,
        })
public final class VillaCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // DJL must never try to download PyTorch: it comes from the pytorch-native-cpu jar on the class path.
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        int exit;
        try {
            exit = commandLine().execute(args);
        } catch (LinkageError broken) {
            // picocli hands Exceptions to reportFailure; a class-path conflict (an Error) would otherwise be a raw stack trace
            System.err.println("villa: " + broken + " (a library on the class path is not the version expected)");
            if (System.getenv("VILLA_DEBUG") != null) {
                broken.printStackTrace();
            }
            exit = 1;
        }
        System.exit(exit);
    }

    /** The command tree, for tests and for embedding. */
    public static CommandLine commandLine() {
        return new CommandLine(new VillaCommand()).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(VillaCommand::reportFailure);
    }

    /**
     * A command that fails says why in one line (exit code 1) instead of a page of stack trace;
     * with the environment variable VILLA_DEBUG set, the stack trace follows.
     */
    static int reportFailure(Exception error, CommandLine command, CommandLine.ParseResult parsed) {
        java.io.PrintWriter err = command.getErr();
        String message = error.getMessage() != null ? error.getMessage() : error.toString();
        err.println("villa " + command.getCommandName() + ": " + message);
        if (System.getenv("VILLA_DEBUG") != null) {
            error.printStackTrace(err);
        } else {
            err.println("(set VILLA_DEBUG=1 for the stack trace)");
        }
        err.flush();
        return command.getCommandSpec().exitCodeOnExecutionException();
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
