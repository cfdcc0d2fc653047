package io.villa.cli.commands;

import java.util.concurrent.Callable;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import io.villa.flink.DecomposeJob;
import io.villa.flink.DecomposeOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * villa decompose: the decomposition job (flink-jobs' DecomposeJob, same arguments as its job jar) in a local Flink
 * MiniCluster inside this process, or submitted to a Flink cluster's REST endpoint with --flink-rest. Ctrl-C or
 * SIGTERM stops it with a savepoint; {@code villa decompose stop} does that for a job on a cluster.
 */
@Command(
        name = "decompose",
        mixinStandardHelpOptions = true,
        subcommands = DecomposeStopCommand.class,
        description = {
            "Decomposes image-report pairs into region-attribute pairs with the online ViLLA mapping model.",
            "Runs the Flink job in a local MiniCluster (default) or submits it to a Flink cluster (--flink-rest);",
            "exactly-once output to the region-attribute topic, rejects to the dead-letter topic.",
            "Ctrl-C or SIGTERM stops the job with a savepoint in --savepoint-dir and prints how to resume from it."
        })
public final class DecomposeCommand implements Callable<Integer> {

    static final String JOB_NAME = "villa-decompose";

    @Spec
    CommandSpec spec;

    @Mixin
    DecomposeOptions options;

    @Mixin
    FlinkRunOptions run;

    @Override
    public Integer call() throws Exception {
        FlinkJobRunner runner = runner();
        runner.checkOptions();
        StreamExecutionEnvironment env = runner.environment(() -> DecomposeJob.localConfiguration(options));
        DecomposeJob.build(env, options);
        return runner.execute(env, options.kafka.pairsTopic);
    }

    /** This command line with --from-savepoint PATH in place of any --resume or --from-savepoint. */
    String resumeCommand(String savepoint) {
        return runner().resumeCommand(savepoint);
    }

    private FlinkJobRunner runner() {
        return new FlinkJobRunner(spec, run, options.recovery, options.checkpointDir, JOB_NAME);
    }
}
