package io.villa.flink;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A job's options as Flink's global job parameters ({@link PipelineOptions#GLOBAL_JOB_PARAMETERS}), which the web UI
 * shows on the job's Configuration tab: what a running job was started with, read where it runs. Keys are the long
 * option names without dashes ({@code bootstrap}, {@code checkpoint-dir}); each {@code --kafka KEY=VALUE} setting is
 * {@code kafka.KEY}. Secrets are left out: Kafka's password-typed settings (SASL/JAAS configs, key and store
 * passwords) and any option or setting whose name says secret, password, token, credential, JAAS or pseudonym.
 */
public final class JobParameters {

    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i).*(secret|passw|token|credential|jaas|pseudonym|private|sasl|keystore\\.key|certificate|auth\\.user).*");
    private static final Set<String> KAFKA_PASSWORDS = kafkaPasswords();

    private JobParameters() {}

    /** Sets {@link #of(Object) of(options)} as {@code env}'s global job parameters. */
    public static void showInWebUi(StreamExecutionEnvironment env, Object options) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GLOBAL_JOB_PARAMETERS, of(options));
        env.configure(conf);
    }

    /** The picocli options of {@code options} (mixins included) by name, secrets left out, sorted by name. */
    public static Map<String, String> of(Object options) {
        Map<String, String> parameters = new TreeMap<>();
        for (OptionSpec option : CommandSpec.forAnnotatedObject(options).options()) {
            String name = option.longestName().replaceFirst("^-+", "");
            Object value = option.getValue();
            if (value == null || isSecret(name)) {
                continue;
            }
            if (value instanceof Map<?, ?> map) {
                map.forEach((k, v) -> {
                    if (!isSecret(String.valueOf(k))) {
                        parameters.put(name + "." + k, String.valueOf(v));
                    }
                });
            } else if (value instanceof Collection<?> values) {
                parameters.put(
                        name,
                        String.join(",", values.stream().map(String::valueOf).toList()));
            } else {
                parameters.put(name, String.valueOf(value));
            }
        }
        return parameters;
    }

    /** Whether an option or a Kafka setting of this name holds a secret. */
    static boolean isSecret(String name) {
        return KAFKA_PASSWORDS.contains(name) || SECRET_NAME.matcher(name).matches();
    }

    /** The settings Kafka's clients declare as passwords (it hides them in its own logs too). */
    private static Set<String> kafkaPasswords() {
        Set<String> names = new java.util.HashSet<>();
        for (ConfigDef def :
                new ConfigDef[] {ProducerConfig.configDef(), ConsumerConfig.configDef(), AdminClientConfig.configDef()
                }) {
            def.configKeys().forEach((name, key) -> {
                if (key.type == ConfigDef.Type.PASSWORD) {
                    names.add(name);
                }
            });
        }
        return Set.copyOf(names);
    }
}
