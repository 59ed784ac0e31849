package io.redisl1.it.differential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisl1.testsupport.ForkedJvm;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs {@link DifferentialProgram} over a batch of sequences in a forked JVM, under the built agent
 * jar or without it, and collects each sequence's replies.
 */
final class DifferentialRun {
  /** The agent under test; {@code redisl1.differential.agentJar} compares another build, e.g. to bisect. */
  static final Path AGENT_JAR = Path.of(System.getProperty("redisl1.differential.agentJar",
      System.getProperty("redisl1test.agentJar", "../agent/target/redis-l1-agent.jar")));
  /** Every key the sequences use is cached, for longer than any run: the L1 answers all it can. */
  static final String CONFIG =
      """
      max-memory: 16MB
      rules:
        - prefix: ""
          ttl: 10m
        - prefix: "n"
          ttl: 10m
          cache-nil: true
      """;

  /** One JVM's replies: per sequence, one line per step, and the GETs that reached its server. */
  record Replies(List<List<String>> steps, List<Long> serverGets, String stderr) {}

  private DifferentialRun() {}

  static Replies run(boolean underAgent, List<List<Step>> sequences, Duration timeout) throws IOException {
    Path dir = Files.createTempDirectory("redis-l1-differential-");
    Path file = dir.resolve("sequences.txt");
    DifferentialProgram.Sequences.write(file, sequences);
    ForkedJvm.Builder jvm = ForkedJvm.builder().timeout(timeout).classpath(classpathWithoutAgent());
    if (underAgent) {
      assertTrue(Files.isRegularFile(AGENT_JAR), "build the agent first (./mvnw package): " + AGENT_JAR.toAbsolutePath());
      Path config = Files.writeString(dir.resolve("redis-l1.yaml"), CONFIG);
      jvm.javaagent(AGENT_JAR).systemProperty("redisl1.config", config.toString())
          // the metrics endpoint on a free loopback port: never contend for 9477
          .systemProperty("redisl1.metrics.host", "127.0.0.1").systemProperty("redisl1.metrics.port", "0");
    }
    ForkedJvm.Result result = jvm.mainClass(DifferentialProgram.class).args(file.toString()).run();
    assertEquals(0, result.exitCode(), () -> (underAgent ? "under the agent: " : "without the agent: ") + result);
    Map<Integer, List<String>> lines = new HashMap<>();
    List<Long> gets = new ArrayList<>();
    for (String line : result.stdout().split("\n")) {
      String[] parts = line.split(" ", 3);
      if (parts.length < 3) {
        continue;
      }
      int sequence = Integer.parseInt(parts[0]);
      if (parts[1].equals("gets")) {
        gets.add(Long.parseLong(parts[2]));
      } else {
        lines.computeIfAbsent(sequence, s -> new ArrayList<>()).add(line.substring(parts[0].length() + 1));
      }
    }
    List<List<String>> steps = new ArrayList<>();
    for (int i = 0; i < sequences.size(); i++) {
      steps.add(lines.getOrDefault(i, List.of()));
    }
    assertEquals(sequences.size(), gets.size(), () -> "not every sequence finished; " + result);
    return new Replies(steps, gets, result.stderr());
  }

  /**
   * The test class path without the agent jar, which is a test dependency only to order the build:
   * left there, the JVM would load the premain from that copy rather than the jar under test.
   */
  private static List<Path> classpathWithoutAgent() {
    List<Path> entries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!entry.isEmpty() && !Path.of(entry).getFileName().toString().startsWith("redis-l1-agent")) {
        entries.add(Path.of(entry));
      }
    }
    return entries;
  }
}
