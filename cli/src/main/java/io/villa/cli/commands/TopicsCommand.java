package io.villa.cli.commands;

import java.util.List;
import java.util.concurrent.Callable;

import io.villa.kafka.KafkaOptions;
import io.villa.kafka.TopicAdmin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** villa topics create|list|describe. */
@Command(name = "topics", mixinStandardHelpOptions = true,
        description = "Creates, lists and describes the ViLLA topics.",
        subcommands = {TopicsCommand.Create.class, TopicsCommand.ListTopics.class, TopicsCommand.Describe.class})
public final class TopicsCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Creates the four ViLLA topics where missing.")
    static final class Create implements Callable<Integer> {
        @Mixin
        KafkaOptions kafka;

        @Option(names = "--partitions", defaultValue = "4", description = "partitions per topic (default ${DEFAULT-VALUE})")
        int partitions;

        @Option(names = "--replication-factor", defaultValue = "1", description = "replicas per partition (default ${DEFAULT-VALUE})")
        short replicationFactor;

        @Override
        public Integer call() {
            try (TopicAdmin admin = new TopicAdmin(kafka.settings())) {
                List<String> all = kafka.topics().all();
                List<String> created = admin.createIfMissing(all, partitions, replicationFactor);
                for (String topic : all) {
                    System.out.println((created.contains(topic) ? "created  " : "exists   ") + topic);
                }
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the topics of the cluster.")
    static final class ListTopics implements Callable<Integer> {
        @Mixin
        KafkaOptions kafka;

        @Override
        public Integer call() {
            try (TopicAdmin admin = new TopicAdmin(kafka.settings())) {
                admin.list().stream().sorted().forEach(System.out::println);
            }
            return 0;
        }
    }

    @Command(name = "describe", mixinStandardHelpOptions = true, description = "Shows partitions, leaders and replicas of topics.")
    static final class Describe implements Callable<Integer> {
        @Mixin
        KafkaOptions kafka;

        @Parameters(arity = "0..*", paramLabel = "TOPIC", description = "topics to describe (default: the four ViLLA topics)")
        List<String> topics;

        @Override
        public Integer call() {
            List<String> names = topics == null || topics.isEmpty() ? kafka.topics().all() : topics;
            try (TopicAdmin admin = new TopicAdmin(kafka.settings())) {
                admin.describe(names).forEach((name, d) -> {
                    System.out.printf("%s  partitions=%d%n", name, d.partitions().size());
                    d.partitions().forEach(p -> System.out.printf("  partition %d leader=%s replicas=%d isr=%d%n",
                            p.partition(), p.leader() == null ? "none" : p.leader().idString(), p.replicas().size(), p.isr().size()));
                });
            }
            return 0;
        }
    }
}
