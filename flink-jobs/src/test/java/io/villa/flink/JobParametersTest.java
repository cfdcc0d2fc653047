package io.villa.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

import io.villa.flink.join.JoinJob;
import io.villa.flink.join.JoinOptions;
import picocli.CommandLine;

/** The jobs' options as Flink's global job parameters (the web UI's Configuration tab), without secrets. */
class JobParametersTest {

    private static final String JAAS =
            "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"villa\" "
                    + "password=\"jaas-secret-1\";";
    private static final String[] KAFKA_WITH_SECRETS = {
        "--bootstrap", "kafka1:9092",
        "--kafka", "acks=all",
        "--kafka", "security.protocol=SASL_SSL",
        "--kafka", "sasl.jaas.config=" + JAAS,
        "--kafka", "ssl.keystore.password=store-secret-2",
        "--kafka", "ssl.key.password=key-secret-3",
        "--kafka", "ssl.truststore.certificates=cert-secret-4",
        "--kafka", "sasl.oauthbearer.token.endpoint.url=https://idp.example/token-secret-5"
    };

    private static <T> T parse(T options, String... args) {
        new CommandLine(options).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args);
        return options;
    }

    private static String[] with(String... more) {
        String[] all = java.util.Arrays.copyOf(KAFKA_WITH_SECRETS, KAFKA_WITH_SECRETS.length + more.length);
        System.arraycopy(more, 0, all, KAFKA_WITH_SECRETS.length, more.length);
        return all;
    }

    @Test
    void theDecompositionJobsOptionsAreThereAndNoSecret() {
        DecomposeOptions o = parse(
                new DecomposeOptions(), with("--mapping-parallelism", "2", "--checkpoint-dir", "file:///shared/ckpt"));

        Map<String, String> parameters = JobParameters.of(o);

        assertThat(parameters)
                .containsEntry("bootstrap", "kafka1:9092")
                .containsEntry("kafka.acks", "all")
                .containsEntry("kafka.security.protocol", "SASL_SSL")
                .containsEntry("mapping-parallelism", "2")
                .containsEntry("checkpoint-dir", "file:///shared/ckpt")
                .containsEntry("topic-pairs", "villa.image-report-pairs")
                .containsEntry("epsilon", "0.2")
                .containsEntry("uncertain", "IGNORE")
                .containsEntry("inject-failure-after", "0")
                .containsEntry("restart-attempts", "10")
                .containsKeys("max-record-bytes", "group-id", "transactional-id-prefix", "warmup-pairs", "seed");
        assertNoSecret(parameters);
    }

    @Test
    void theJoinJobsOptionsAreThereAndNoSecret() {
        JoinOptions o = parse(new JoinOptions(), with("--ttl", "30s"));

        Map<String, String> parameters = JobParameters.of(o);

        assertThat(parameters)
                .containsEntry("bootstrap", "kafka1:9092")
                .containsEntry("ttl", "PT30S")
                .containsEntry("topic-study-images", "villa.study-images")
                .containsEntry("max-key-chars", "256")
                .containsEntry("state-backend", "hashmap");
        assertNoSecret(parameters);
    }

    @Test
    void bothJobsSetThemAsGlobalJobParameters() throws Exception {
        StreamExecutionEnvironment decompose = StreamExecutionEnvironment.getExecutionEnvironment();
        DecomposeOptions d = parse(new DecomposeOptions(), with("--bounded"));
        DecomposeJob.build(decompose, d);
        Map<String, String> shown =
                decompose.getConfig().getGlobalJobParameters().toMap();
        assertThat(shown).isEqualTo(JobParameters.of(d)).containsEntry("bounded", "true");
        assertNoSecret(shown);

        StreamExecutionEnvironment join = StreamExecutionEnvironment.getExecutionEnvironment();
        JoinOptions j = parse(new JoinOptions(), with());
        JoinJob.build(join, j);
        assertThat(join.getConfig().getGlobalJobParameters().toMap())
                .isEqualTo(JobParameters.of(j))
                .containsEntry("ttl", "PT168H");
    }

    @Test
    void secretNames() {
        assertThat(JobParameters.isSecret("sasl.jaas.config")).isTrue();
        assertThat(JobParameters.isSecret("ssl.keystore.key")).isTrue();
        assertThat(JobParameters.isSecret("pseudonym-key-file")).isTrue();
        assertThat(JobParameters.isSecret("basic.auth.user.info")).isTrue();
        assertThat(JobParameters.isSecret("max-key-chars")).isFalse();
        assertThat(JobParameters.isSecret("ssl.truststore.location")).isFalse();
        assertThat(JobParameters.isSecret("transactional-id-prefix")).isFalse();
    }

    private static void assertNoSecret(Map<String, String> parameters) {
        assertThat(parameters.keySet()).noneMatch(JobParameters::isSecret);
        String all = parameters.toString();
        assertThat(all).doesNotContain("secret-", "jaas", "PlainLoginModule");
    }
}
