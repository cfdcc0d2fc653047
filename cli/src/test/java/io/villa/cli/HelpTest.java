package io.villa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/** Every command, at every depth, answers --help with its usage and exit code 0. */
class HelpTest {

    @Test
    void everyCommandHasHelp() {
        List<CommandLine> commands = new ArrayList<>();
        collect(VillaCommand.commandLine(), commands);
        assertThat(commands.size()).isGreaterThan(4);

        for (CommandLine command : commands) {
            if (command.getCommandName().equals("help")) {
                continue;
            }
            List<String> path = new ArrayList<>();
            for (CommandLine c = command; c.getParent() != null; c = c.getParent()) {
                path.add(0, c.getCommandName());
            }
            path.add("--help");
            StringWriter out = new StringWriter();
            CommandLine villa = VillaCommand.commandLine();
            villa.setOut(new PrintWriter(out));
            int exit = villa.execute(path.toArray(String[]::new));

            assertThat(exit).as("exit code of %s", path).isZero();
            assertThat(out.toString()).as("usage of %s", path).contains("Usage: villa");
        }
    }

    private static void collect(CommandLine command, List<CommandLine> into) {
        into.add(command);
        command.getSubcommands().values().forEach(sub -> collect(sub, into));
    }
}
