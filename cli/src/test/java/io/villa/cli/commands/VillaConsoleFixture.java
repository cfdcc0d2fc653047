package io.villa.cli.commands;

import java.io.PrintWriter;
import java.io.StringWriter;

import io.villa.cli.VillaCommand;
import picocli.CommandLine;

/**
 * For the command tests that run villa as a user would: {@link #villa} runs it, and what it printed stays in {@link #out}
 * and {@link #err}.
 */
abstract class VillaConsoleFixture {

    protected final StringWriter out = new StringWriter();
    protected final StringWriter err = new StringWriter();

    /** Runs {@code villa args...} in this process; returns its exit code. */
    protected int villa(String... args) {
        CommandLine villa = VillaCommand.commandLine();
        villa.setOut(new PrintWriter(out, true));
        villa.setErr(new PrintWriter(err, true));
        return villa.execute(args);
    }
}
