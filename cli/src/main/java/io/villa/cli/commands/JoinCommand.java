package io.villa.cli.commands;

import java.util.concurrent.Callable;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import io.villa.flink.join.JoinJob;
import io.villa.flink.join.JoinOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * villa join: the hospital-feed join (flink-jobs' JoinJob) in a local Flink MiniCluster inside this process, or
 * submitted to a Flink cluster's REST endpoint with --flink-rest, as villa decompose runs its job. Ctrl-C or SIGTERM
 * stops a local run with a savepoint.
 */
@Command(
        name = "join",
        mixinStandardHelpOptions = true,
        description = {
            "Joins de-identified study images (villa.study-images) and reports (villa.study-reports) into image-report",
            "pairs, keyed by the study's pseudonym: one pair per image, a new pair version when a corrected report arrives,",
            "resends dropped, an image or report still alone at --ttl to the dead-letter topic. Exactly-once output.",
            "Runs the Flink job in a local MiniCluster (default) or submits it to a Flink cluster (--flink-rest)."
        })
public final class JoinCommand implements Callable<Integer> {

    static final String ROCKSDB_BACKEND = "org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend";

    @Spec
    CommandSpec spec;

    @Mixin
    JoinOptions options;

    @Mixin
    FlinkRunOptions run;

    @Override
    public Integer call() throws Exception {
        FlinkJobRunner runner =
                new FlinkJobRunner(spec, run, options.recovery, options.checkpointDir, JoinJob.JOB_NAME);
        runner.checkOptions();
        try {
            options.settings();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (runner.isLocal() && "rocksdb".equals(options.stateBackend) && !onClassPath(ROCKSDB_BACKEND)) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--state-backend rocksdb needs Flink's RocksDB backend, which a "
                            + "Flink cluster has (--flink-rest) and villa's local MiniCluster does not: use --state-backend hashmap here");
        }
        StreamExecutionEnvironment env = runner.environment(() -> JoinJob.localConfiguration(options));
        JoinJob.build(env, options);
        return runner.execute(env, options.studyImagesTopic + " and " + options.studyReportsTopic);
    }

    private static boolean onClassPath(String className) {
        try {
            Class.forName(className, false, JoinCommand.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
