package io.redisl1.it.lettuce;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisl1.testsupport.ForkedJvm;
import io.redisl1.testsupport.RedisEndpoint;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs {@link LettuceScenarios} in a forked JVM under the built agent jar, on a chosen Lettuce.
 * The tests compile against the project's Lettuce (6.x, with its Netty 4.1); another line runs
 * with {@code clients/lettuce-<version>/} (lettuce-core and the Netty it needs) in their place.
 */
final class LettuceRun {
  static final Path AGENT_JAR =
      Paths.get(System.getProperty("redisl1.agentJar", "../agent/target/redis-l1-agent.jar"));
  static final Path CLIENTS = Paths.get(System.getProperty("redisl1.clientsDir", "target/clients"));

  private final ForkedJvm.Builder jvm = ForkedJvm.builder().timeout(Duration.ofSeconds(120));
  private List<Path> classpath = testClasspath();

  private LettuceRun() {}

  static LettuceRun withConfig(String config) {
    assertTrue(Files.isRegularFile(AGENT_JAR), "build the agent first (./mvnw package): " + AGENT_JAR.toAbsolutePath());
    LettuceRun run = new LettuceRun();
    run.jvm.javaagent(AGENT_JAR);
    run.jvm.systemProperty("redisl1.config", write(config).toString());
    return run;
  }

  static LettuceRun withoutAgent() {
    return new LettuceRun();
  }

  /** Runs on {@code version}: the compiled-against one, or a directory under clients/. */
  LettuceRun lettuce(String version) {
    boolean compiledAgainst =
        classpath.stream().anyMatch(p -> p.getFileName().toString().equals("lettuce-core-" + version + ".jar"));
    if (compiledAgainst) {
      return this;
    }
    Path dir = CLIENTS.resolve("lettuce-" + version);
    assertTrue(Files.isDirectory(dir), "missing " + dir.toAbsolutePath());
    List<Path> swapped = new ArrayList<>();
    try (Stream<Path> jars = Files.list(dir)) {
      jars.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(swapped::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    boolean ownNetty = swapped.stream().anyMatch(p -> p.getFileName().toString().startsWith("netty-"));
    for (Path entry : classpath) {
      String name = entry.getFileName().toString();
      if (!name.startsWith("lettuce-core-") && !(ownNetty && name.startsWith("netty-"))) {
        swapped.add(entry);
      }
    }
    classpath = swapped;
    return this;
  }

  Outcome run(String scenario, RedisEndpoint redis) {
    return new Outcome(
        jvm.classpath(classpath)
            .mainClass(LettuceScenarios.class)
            .args(scenario, redis.host(), Integer.toString(redis.port()))
            .run());
  }

  private static List<Path> testClasspath() {
    List<Path> entries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!entry.isEmpty()) {
        entries.add(Paths.get(entry));
      }
    }
    return entries;
  }

  private static Path write(String config) {
    try {
      Path file = Files.createTempFile("redis-l1-lettuce-", ".yaml");
      file.toFile().deleteOnExit();
      return Files.writeString(file, config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What a scenario printed, by name, plus its raw output for failure messages. */
  static final class Outcome {
    final ForkedJvm.Result result;
    final Map<String, String> values = new LinkedHashMap<>();

    Outcome(ForkedJvm.Result result) {
      this.result = result;
      for (String line : result.stdout().split("\n")) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          values.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
        }
      }
    }

    String get(String name) {
      if (!values.containsKey(name)) {
        throw new AssertionError("the program printed no '" + name + "'; " + result);
      }
      return values.get(name);
    }

    long number(String name) {
      return Long.parseLong(get(name));
    }

    List<String> agentLines() {
      List<String> lines = new ArrayList<>();
      for (String line : result.stderr().split("\n")) {
        if (line.startsWith("[redis-l1]")) {
          lines.add(line);
        }
      }
      return lines;
    }

    @Override
    public String toString() {
      return result.toString();
    }
  }
}
