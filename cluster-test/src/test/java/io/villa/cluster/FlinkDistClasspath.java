package io.villa.cluster;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;

/**
 * The class path of the Flink session cluster, standing in for flink-dist's lib/ (flink-dist is not on Maven Central):
 * the Flink runtime jars and their dependencies, the transitive closure of {@link #ROOTS} in this module's Maven
 * dependency tree, located on the test class path. Our own classes, DJL, Kafka and the Kafka connector are not in
 * those subtrees, and {@link #assertFreeOf} proves it, so on the cluster they can only come from the job jar.
 */
final class FlinkDistClasspath {

    /** Dependencies whose transitive closure goes onto the cluster: the runtime, the client, the DataStream API, logging. */
    static final Set<String> ROOTS = Set.of(
            "org.apache.flink:flink-runtime", "org.apache.flink:flink-clients", "org.apache.flink:flink-streaming-java",
            "org.slf4j:slf4j-api", "ch.qos.logback:logback-classic");

    /** What the job jar brings and the cluster must not have (class-file and resource prefixes). */
    static final List<String> JOB_ONLY = List.of("io/villa/", "ai/djl/", "org/apache/kafka/",
            "org/apache/flink/connector/kafka/", "org/apache/avro/", "picocli/", "pytorch/", "native/lib/", "jnilib/");

    private FlinkDistClasspath() {
    }

    /**
     * @param tree          the verbose output of {@code mvn dependency:tree} for this module (written by the build, see
     *                      pom.xml): every dependency edge, with "(... omitted for duplicate/conflict)" entries where
     *                      Maven resolved the artifact elsewhere in the tree
     * @param testClasspath the test JVM's class path entries
     */
    static List<Path> resolve(Path tree, List<String> testClasspath) {
        if (!Files.isRegularFile(tree)) {
            throw new IllegalStateException("no dependency tree at " + tree + ": run the test through Maven "
                    + "(mvn -pl cluster-test verify), whose generate-test-resources phase writes it");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // group:artifact -> the resolved coordinate (the entry Maven did not omit) and the group:artifact of its children
        Map<String, String> resolved = new HashMap<>();
        Map<String, List<String>> children = new HashMap<>();
        Deque<String> parents = new ArrayDeque<>();   // the path from the root to the current entry, as group:artifact
        Deque<Boolean> parentsOmitted = new ArrayDeque<>();
        for (String line : lines.subList(1, lines.size())) {   // line 0: this module itself
            int start = 0;
            while (start < line.length() && "|+-\\ ".indexOf(line.charAt(start)) >= 0) {
                start++;
            }
            if (start == line.length()) {
                continue;
            }
            int depth = start / 3;
            String entry = line.substring(start);
            boolean omitted = entry.startsWith("(");
            String coordinate = (omitted ? entry.substring(1) : entry).split("[ )]")[0];
            String[] parts = coordinate.split(":");
            String key = parts[0] + ":" + parts[1];
            while (parents.size() >= depth) {
                parents.pop();
                parentsOmitted.pop();
            }
            if (!parents.isEmpty() && !parentsOmitted.peek()) {
                children.computeIfAbsent(parents.peek(), k -> new ArrayList<>()).add(key);
            }
            if (!omitted) {
                resolved.put(key, coordinate);
            }
            parents.push(key);
            parentsOmitted.push(omitted);
        }
        Set<String> closure = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(ROOTS);
        while (!todo.isEmpty()) {
            String key = todo.pop();
            if (closure.add(key)) {
                todo.addAll(children.getOrDefault(key, List.of()));
            }
        }
        List<Path> jars = new ArrayList<>();
        for (String key : closure) {
            String coordinate = resolved.get(key);
            if (coordinate == null) {
                throw new IllegalStateException(key + " is in the dependency tree only as an omitted entry");
            }
            jars.add(locate(coordinate, testClasspath));
        }
        return jars;
    }

    /** group:artifact:type[:classifier]:version:scope -> its jar on the test class path. */
    private static Path locate(String coordinate, List<String> testClasspath) {
        String[] p = coordinate.split(":");
        String group = p[0];
        String artifact = p[1];
        String classifier = p.length == 6 ? p[3] : null;
        String version = p.length == 6 ? p[4] : p[3];
        String suffix = File.separator + String.join(File.separator, group.split("\\.")) + File.separator + artifact
                + File.separator + version + File.separator + artifact + "-" + version
                + (classifier == null ? "" : "-" + classifier) + ".jar";
        return testClasspath.stream().filter(e -> e.endsWith(suffix)).findFirst().map(Path::of)
                .orElseThrow(() -> new IllegalStateException(coordinate + " (from the dependency tree) is not on the test class path"));
    }

    /** Fails if any jar holds a class or resource the job jar must bring itself. */
    static void assertFreeOf(List<Path> classpath, List<String> prefixes) {
        for (Path jar : classpath) {
            try (JarFile file = new JarFile(jar.toFile())) {
                file.stream().map(e -> e.getName()).filter(n -> prefixes.stream().anyMatch(n::startsWith)).findFirst()
                        .ifPresent(n -> {
                            throw new AssertionError("the cluster class path must not contain " + n + " (in " + jar + ")");
                        });
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + jar, e);
            }
        }
    }
}
