package io.villa.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.jobmanager.JobManagerProcessSpec;
import org.apache.flink.runtime.jobmanager.JobManagerProcessUtils;
import org.apache.flink.runtime.util.config.memory.ProcessMemoryUtils;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A Flink standalone session cluster as bin/jobmanager.sh and bin/taskmanager.sh start it, without the scripts:
 * a generated conf/config.yaml (Flink 2 reads config.yaml; flink-conf.yaml is gone), one JobManager JVM
 * ({@code StandaloneSessionClusterEntrypoint}) and one TaskManager JVM ({@code TaskManagerRunner}), each with the memory
 * JVM arguments and dynamic properties that the scripts get from BashJavaUtils (computed here with the same Flink
 * utilities), plus the {@code env.java.*} options of the configuration. Jobs go in through Flink's own command-line
 * client ({@code CliFrontend}, i.e. {@code flink run}) in a third JVM.
 */
final class FlinkSessionCluster implements AutoCloseable {

    static final String JOB_MANAGER_MAIN = "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    static final String TASK_MANAGER_MAIN = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
    static final String CLIENT_MAIN = "org.apache.flink.client.cli.CliFrontend";

    /** What flink-dist's own config.yaml sets for Java 17 (env.java.opts.all there; here as the administrators' defaults). */
    private static final String JAVA17_OPTS = String.join(" ",
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED", "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED", "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    private static final Pattern JOB_ID = Pattern.compile("JobID ([0-9a-f]{32})");

    private final Path home;
    private final Path confDir;
    private final List<Path> classpath;
    private final Configuration configuration;
    private final int restPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    /** The JobManager, then the running TaskManager. */
    private final List<ChildJvm> processes = new ArrayList<>();
    private int taskManagersStarted = 1;

    private FlinkSessionCluster(Path home, List<Path> classpath, Configuration configuration, int restPort) {
        this.home = home;
        this.confDir = home.resolve("conf");
        this.classpath = classpath;
        this.configuration = configuration;
        this.restPort = restPort;
    }

    /** Writes the configuration and starts the JobManager and the TaskManager; {@link #awaitTaskManager} waits for them. */
    static FlinkSessionCluster start(Path home, List<Path> classpath, int slots) throws IOException {
        return start(home, classpath, slots, Map.of());
    }

    /** As {@link #start(Path, List, int)}, with {@code extra} options (key: value) added to config.yaml. */
    static FlinkSessionCluster start(Path home, List<Path> classpath, int slots, Map<String, String> extra) throws IOException {
        int[] ports = freePorts(5);
        int restPort = ports[0];
        Path conf = Files.createDirectories(home.resolve("conf"));
        Files.createDirectories(home.resolve("plugins"));   // empty: no file systems or reporters beyond the defaults
        List<String> yaml = new ArrayList<>(List.of(
                "# generated by the cluster test: a single-machine session cluster on free ports, small memory",
                "jobmanager.rpc.address: localhost",
                "jobmanager.bind-host: localhost",
                "jobmanager.rpc.port: " + ports[1],
                "jobmanager.memory.process.size: 1g",
                "rest.address: localhost",
                "rest.bind-address: localhost",
                "rest.port: " + restPort,
                "blob.server.port: " + ports[2],
                "taskmanager.host: localhost",
                "taskmanager.bind-host: localhost",
                "taskmanager.rpc.port: " + ports[3],
                "taskmanager.data.port: " + ports[4],
                "taskmanager.resource-id: cluster-test-taskmanager",
                "taskmanager.numberOfTaskSlots: " + slots,
                // PyTorch's native memory is outside Flink's budget (as in docker-compose.yml): little managed memory,
                // the job keeps its state on the heap
                "taskmanager.memory.process.size: 2g",
                "taskmanager.memory.managed.fraction: 0.05",
                "parallelism.default: 1",
                "io.tmp.dirs: " + home.resolve("tmp"),
                "web.tmpdir: " + home.resolve("web-tmp"),
                "blob.storage.directory: " + home.resolve("blobs"),
                "env.java.default-opts.all: \"" + JAVA17_OPTS + "\"",
                // DJL must never download: PyTorch comes from the pytorch-native-cpu jar packed into the job jar
                "env.java.opts.all: \"-Dai.djl.offline=true\"",
                "env.java.opts.taskmanager: \"-XX:+ExitOnOutOfMemoryError\""));
        extra.forEach((key, value) -> yaml.add(key + ": " + value));
        Files.write(conf.resolve(GlobalConfiguration.FLINK_CONF_FILENAME), yaml);
        Files.writeString(conf.resolve("logback.xml"), LOGBACK);
        for (String dir : List.of("tmp", "web-tmp", "blobs", "logs")) {
            Files.createDirectories(home.resolve(dir));
        }

        // read back by Flink itself: a key it does not understand, or bad YAML, fails here and not in a child process
        Configuration configuration = GlobalConfiguration.loadConfiguration(conf.toString());
        if (configuration.get(org.apache.flink.configuration.RestOptions.PORT) != restPort) {
            throw new IllegalStateException("Flink did not read " + conf.resolve(GlobalConfiguration.FLINK_CONF_FILENAME));
        }
        FlinkSessionCluster cluster = new FlinkSessionCluster(home, classpath, configuration, restPort);
        try {
            cluster.startJobManager();
            cluster.startTaskManager();
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    private void startJobManager() {
        JobManagerProcessSpec spec = JobManagerProcessUtils.processSpecFromConfig(configuration);
        List<String> jvm = new ArrayList<>(split(JobManagerProcessUtils.generateJvmParametersStr(spec, configuration)));
        jvm.addAll(javaOptions(CoreOptions.FLINK_DEFAULT_JVM_OPTIONS, CoreOptions.FLINK_DEFAULT_JM_JVM_OPTIONS,
                CoreOptions.FLINK_JVM_OPTIONS, CoreOptions.FLINK_JM_JVM_OPTIONS));
        List<String> args = new ArrayList<>(List.of("--configDir", confDir.toString()));
        args.addAll(split(JobManagerProcessUtils.generateDynamicConfigsStr(spec)));
        processes.add(startProcess("jobmanager", jvm, JOB_MANAGER_MAIN, args));
    }

    /**
     * SIGKILL of the TaskManager JVM (no shutdown hook, no goodbye to the JobManager): the JobManager learns of it from
     * missed heartbeats, or when a TaskManager with the same resource id registers.
     */
    void killTaskManager() throws InterruptedException {
        ChildJvm taskManager = taskManager();
        taskManager.kill();
        processes.remove(taskManager);
    }

    /**
     * Stops the TaskManager JVM as bin/taskmanager.sh stop would (SIGTERM: it deregisters from the JobManager), waits
     * until the JobManager lists no TaskManager, and starts another ({@link #startAnotherTaskManager}); then
     * {@link #awaitTaskManager} waits for it. For a job that must not share a TaskManager JVM with an earlier one: the
     * job jar loads PyTorch's native libraries in its own class loader, and a JVM loads a native library into one class
     * loader only, so a second DJL job on the same TaskManager fails ("already loaded in another classloader").
     */
    void replaceTaskManager(Duration timeout) throws InterruptedException {
        ChildJvm taskManager = taskManager();
        taskManager.close();
        processes.remove(taskManager);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (get("/overview").path("taskmanagers").asInt() > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the JobManager still lists a TaskManager " + timeout.toSeconds() + " s after it stopped: "
                        + get("/overview"));
            }
            Thread.sleep(200);
        }
        startAnotherTaskManager();
    }

    /** Starts another TaskManager JVM, as bin/taskmanager.sh would, after {@link #killTaskManager}; its log is taskmanager-N.log. */
    void startAnotherTaskManager() {
        startTaskManager("taskmanager-" + ++taskManagersStarted);
    }

    private void startTaskManager() {
        startTaskManager("taskmanager");
    }

    private void startTaskManager(String name) {
        TaskExecutorProcessSpec spec = TaskExecutorProcessUtils.processSpecFromConfig(configuration);
        List<String> jvm = new ArrayList<>(split(ProcessMemoryUtils.generateJvmParametersStr(spec)));
        jvm.addAll(javaOptions(CoreOptions.FLINK_DEFAULT_JVM_OPTIONS, CoreOptions.FLINK_DEFAULT_TM_JVM_OPTIONS,
                CoreOptions.FLINK_JVM_OPTIONS, CoreOptions.FLINK_TM_JVM_OPTIONS));
        List<String> args = new ArrayList<>(List.of("--configDir", confDir.toString()));
        args.addAll(split(TaskExecutorProcessUtils.generateDynamicConfigsStr(spec)));
        processes.add(startProcess(name, jvm, TASK_MANAGER_MAIN, args));
    }

    private ChildJvm startProcess(String name, List<String> jvmArgs, String main, List<String> args) {
        Path log = home.resolve("logs").resolve(name + ".log");
        List<String> jvm = new ArrayList<>(jvmArgs);
        jvm.add("-Dlog.file=" + log);
        jvm.add("-Dlogback.configurationFile=" + confDir.resolve("logback.xml"));
        return ChildJvm.start(name, jvm, classpath, main, args, home, log, environment());
    }

    private Map<String, String> environment() {
        return Map.of("FLINK_CONF_DIR", confDir.toString(), "FLINK_PLUGINS_DIR", home.resolve("plugins").toString(),
                "FLINK_LOG_DIR", home.resolve("logs").toString());
    }

    private List<String> javaOptions(ConfigOption<?>... options) {
        List<String> out = new ArrayList<>();
        for (ConfigOption<?> option : options) {
            configuration.getOptional(option).map(String::valueOf).ifPresent(v -> out.addAll(split(v)));
        }
        return out;
    }

    private static List<String> split(String s) {
        return Arrays.stream(s.trim().split("\\s+")).filter(t -> !t.isEmpty()).toList();
    }

    int restPort() {
        return restPort;
    }

    Path home() {
        return home;
    }

    ChildJvm jobManager() {
        return processes.get(0);
    }

    ChildJvm taskManager() {
        return processes.get(1);
    }

    /** Waits until the REST endpoint answers and reports a registered TaskManager with {@code slots} free slots. */
    void awaitTaskManager(Duration timeout, int slots) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            processes.forEach(ChildJvm::assertAlive);
            try {
                JsonNode overview = get("/overview");
                last = overview.toString();
                if (overview.path("taskmanagers").asInt() >= 1 && overview.path("slots-available").asInt() >= slots) {
                    return;
                }
            } catch (UncheckedIOException e) {
                last = e.getCause() instanceof ConnectException ? "REST endpoint not up yet" : e.getMessage();
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no TaskManager registered with the JobManager at localhost:" + restPort + " within "
                + timeout + " (last: " + last + ")\njobmanager:\n" + jobManager().tail(40) + "\ntaskmanager:\n"
                + taskManager().tail(40));
    }

    /** GET on the REST API, parsed. */
    JsonNode get(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + restPort + path))
                .timeout(Duration.ofSeconds(10)).GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new UncheckedIOException(new IOException("GET " + path + ": HTTP " + response.statusCode() + " " + response.body()));
            }
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * {@code flink run -m localhost:REST -c mainClass jar args...} in its own JVM (Flink's CliFrontend on the cluster's
     * class path, this cluster's configuration directory), attached: returns when the job has ended.
     */
    Submission submit(Path jar, String mainClass, List<String> jobArgs, Duration timeout) throws InterruptedException {
        return run(jar, mainClass, jobArgs, timeout, false);
    }

    private Submission run(Path jar, String mainClass, List<String> jobArgs, Duration timeout, boolean detached)
            throws InterruptedException {
        List<String> args = new ArrayList<>(List.of("run"));
        if (detached) {
            args.add("-d");
        }
        args.addAll(List.of("-m", "localhost:" + restPort, "-c", mainClass, jar.toString()));
        args.addAll(jobArgs);
        List<String> jvm = new ArrayList<>(List.of("-Xmx512m"));
        jvm.addAll(javaOptions(CoreOptions.FLINK_DEFAULT_JVM_OPTIONS, CoreOptions.FLINK_JVM_OPTIONS, CoreOptions.FLINK_CLI_JVM_OPTIONS));
        Path log = home.resolve("logs").resolve("client.log");
        jvm.add("-Dlog.file=" + log);
        jvm.add("-Dlogback.configurationFile=" + confDir.resolve("logback.xml"));
        try (ChildJvm client = ChildJvm.start("flink-client", jvm, classpath, CLIENT_MAIN, args, home, log, environment())) {
            Integer exit = client.await(timeout);
            String output = client.output();
            Matcher id = JOB_ID.matcher(output);
            return new Submission(exit == null ? -1 : exit, exit == null, output, id.find() ? id.group(1) : null, log);
        }
    }

    /**
     * {@code flink run -d ...}: submits the job and returns once the cluster accepted it (for jobs that run until
     * cancelled); the job id is in the result.
     */
    Submission submitDetached(Path jar, String mainClass, List<String> jobArgs, Duration timeout) throws InterruptedException {
        return run(jar, mainClass, jobArgs, timeout, true);
    }

    /** Cancels a job through the REST API ({@code PATCH /jobs/ID?mode=cancel}) and waits until it is CANCELED. */
    void cancel(String jobId, Duration timeout) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + restPort + "/jobs/" + jobId + "?mode=cancel"))
                .timeout(Duration.ofSeconds(10)).method("PATCH", HttpRequest.BodyPublishers.noBody()).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 202) {
                throw new AssertionError("cancel " + jobId + ": HTTP " + response.statusCode() + " " + response.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        String state = "";
        while (System.nanoTime() < deadline) {
            state = get("/jobs/" + jobId).path("state").asText();
            if (state.equals("CANCELED")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("job " + jobId + " not cancelled within " + timeout + " (state " + state + ")");
    }

    /** What the command-line client did: exit code (-1 when it was stopped for running too long), output, the job id it printed. */
    record Submission(int exitCode, boolean timedOut, String output, String jobId, Path log) {
    }

    @Override
    public void close() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).close();
        }
    }

    private static int[] freePorts(int n) throws IOException {
        ServerSocket[] sockets = new ServerSocket[n];
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                sockets[i] = new ServerSocket(0);
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : sockets) {
                if (s != null) {
                    s.close();
                }
            }
        }
    }

    /** The cluster processes' logging (logback: our test class path's SLF4J backend instead of flink-dist's log4j). */
    private static final String LOGBACK = """
            <configuration>
              <appender name="CONSOLE" class="ch.qos.logback.core.ConsoleAppender">
                <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
              </appender>
              <logger name="io.villa" level="INFO"/>
              <logger name="ai.djl" level="INFO"/>
              <logger name="org.apache.kafka" level="WARN"/>
              <!-- Kafka clients register the same metric names twice inside Flink: harmless, and many lines -->
              <logger name="org.apache.flink.metrics" level="ERROR"/>
              <logger name="org.apache.flink" level="INFO"/>
              <root level="INFO"><appender-ref ref="CONSOLE"/></root>
            </configuration>
            """;
}
