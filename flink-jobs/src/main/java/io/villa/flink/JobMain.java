package io.villa.flink;

import java.util.concurrent.Callable;

import picocli.CommandLine;

/**
 * A job jar's entry point for one of our jobs ({@code flink run villa-flink-job.jar ...}): parses the arguments into
 * the job, prints help or the version when asked, else runs it. No System.exit and no catching: Flink's client and
 * application mode need main to return normally or throw.
 */
public final class JobMain {

    private JobMain() {}

    public static void run(Callable<Integer> job, String[] args) throws Exception {
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        CommandLine commandLine = new CommandLine(job).setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.parseArgs(args);
        if (commandLine.isUsageHelpRequested()) {
            commandLine.usage(System.out);
            return;
        }
        if (commandLine.isVersionHelpRequested()) {
            commandLine.printVersionHelp(System.out);
            return;
        }
        job.call();
    }
}
