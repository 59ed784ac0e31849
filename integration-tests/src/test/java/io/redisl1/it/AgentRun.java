package io.redisl1.it;

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

/**
 * Runs a scenario program in a forked JVM under the built agent jar, with a chosen client jar in
 * place of the one the tests compiled against. Scenarios print {@code name=value} lines.
 */
public final class AgentRun {
  /** The configuration the forked programs run under unless a test brings its own. */
  public static final String CONFIG =
      """
      max-memory: 16MB
      max-value-size: 256KB
      default-ttl: 30s
      rules:
        - prefix: "user:"
          ttl: 60s
        - prefix: "neg:"
          cache-nil: true
        - prefix: "short:"
          ttl: 500ms
        - prefix: "session:"
          cache: false
      """;
  public static final Path AGENT_JAR = Paths.get(System.getProperty("redisl1test.agentJar", "../agent/target/redis-l1-agent.jar"));
  static final Path CLIENTS = Paths.get(System.getProperty("redisl1test.clientsDir", "target/clients"));

  private final ForkedJvm.Builder jvm = ForkedJvm.builder().timeout(Duration.ofSeconds(120));
  private List<Path> classpath = testClasspath();
  /** -javaagent options in the order the JVM will run their premains. */
  private final List<Path> agents = new ArrayList<>();

  private AgentRun() {
    // Each fork's metrics endpoint on a free loopback port: forks, samples and other builds on the
    // same machine never contend for 9477. A test that scrapes picks its port with systemProperty.
    jvm.systemProperty("redisl1.metrics.host", "127.0.0.1");
    jvm.systemProperty("redisl1.metrics.port", "0");
  }

  /** A -D option for the fork; given after the defaults, it wins over them. */
  public AgentRun systemProperty(String key, String value) {
    jvm.systemProperty(key, value);
    return this;
  }

  /** A run under the agent, with {@code config} (YAML text) as its configuration file. */
  public static AgentRun withConfig(String config) {
    assertTrue(Files.isRegularFile(AGENT_JAR), "build the agent first (./mvnw package): " + AGENT_JAR.toAbsolutePath());
    AgentRun run = new AgentRun();
    run.agents.add(AGENT_JAR);
    if (config != null) {
      run.jvm.systemProperty("redisl1.config", write(config).toString());
    }
    return run;
  }

  /** Adds another -javaagent, whose premain runs before ours ({@code first}) or after it. */
  public AgentRun otherAgent(Path jar, boolean first, String... systemProperties) {
    assertTrue(Files.isRegularFile(jar), "missing " + jar);
    agents.add(first ? 0 : agents.size(), jar);
    for (String property : systemProperties) {
      jvm.jvmArg("-D" + property);
    }
    return this;
  }

  /** The same program without the agent: the baseline. */
  public static AgentRun withoutAgent() {
    return new AgentRun();
  }

  /** Replaces the Jedis the tests compiled against with {@code clients/jedis-<version>.jar}. */
  public AgentRun jedis(String version) {
    return swap("jedis-", CLIENTS.resolve("jedis-" + version + ".jar"));
  }

  /** Puts {@code jar} on the class path in place of entries whose file name starts with {@code prefix}. */
  AgentRun swap(String prefix, Path jar) {
    assertTrue(Files.isRegularFile(jar), "missing " + jar);
    List<Path> swapped = new ArrayList<>();
    for (Path entry : classpath) {
      if (!entry.getFileName().toString().startsWith(prefix)) {
        swapped.add(entry);
      }
    }
    swapped.add(0, jar);
    classpath = swapped;
    return this;
  }

  /**
   * Runs on Lettuce {@code version}: the one the tests compiled against, or the jars in {@code
   * clients/lettuce-<version>/} (lettuce-core, plus the Netty it needs if it differs) in place of
   * the compiled-against ones.
   */
  public AgentRun lettuce(String version) {
    if (classpath.stream().anyMatch(p -> p.getFileName().toString().equals("lettuce-core-" + version + ".jar"))) {
      return this;
    }
    Path dir = CLIENTS.resolve("lettuce-" + version);
    assertTrue(Files.isDirectory(dir), "missing " + dir.toAbsolutePath());
    List<Path> jars = new ArrayList<>();
    try (java.util.stream.Stream<Path> listed = Files.list(dir)) {
      listed.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(jars::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    boolean ownNetty = jars.stream().anyMatch(p -> p.getFileName().toString().startsWith("netty-"));
    for (Path entry : classpath) {
      String name = entry.getFileName().toString();
      if (!name.startsWith("lettuce-core-") && !(ownNetty && name.startsWith("netty-"))) {
        jars.add(entry);
      }
    }
    classpath = jars;
    return this;
  }

  public AgentRun javaHome(Path home) {
    jvm.javaHome(home);
    return this;
  }

  /** Runs {@code program} with args: scenario, host, port, then {@code more}. */
  public Outcome run(Class<?> program, String scenario, RedisEndpoint redis, String... more) {
    for (Path agent : agents) {
      jvm.javaagent(agent);
    }
    List<String> args = new ArrayList<>(List.of(scenario, redis.host(), Integer.toString(redis.port())));
    args.addAll(List.of(more));
    ForkedJvm.Result result = jvm.classpath(classpath).mainClass(program).args(args.toArray(new String[0])).run();
    return new Outcome(result);
  }

  /**
   * The test class path without the agent itself. The agent is a test dependency only to order
   * the build; left on the class path, the JVM would load the premain class from that copy (it
   * precedes the -javaagent jar) and the agent would put that copy, possibly a stale one from
   * ~/.m2, on the bootstrap path instead of the jar under test.
   */
  public static List<Path> testClasspath() {
    List<Path> entries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path path = Paths.get(entry);
      if (!entry.isEmpty() && !path.getFileName().toString().startsWith("redis-l1-agent")) {
        entries.add(path);
      }
    }
    return entries;
  }

  private static Path write(String config) {
    try {
      Path file = Files.createTempFile("redis-l1-", ".yaml");
      file.toFile().deleteOnExit();
      return Files.writeString(file, config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What a scenario printed, by name, plus its raw output for failure messages. */
  public static final class Outcome {
    public final ForkedJvm.Result result;
    public final Map<String, String> values = new LinkedHashMap<>();

    public Outcome(ForkedJvm.Result result) {
      this.result = result;
      for (String line : result.stdout().split("\n")) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          values.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
        }
      }
    }

    public String get(String name) {
      if (!values.containsKey(name)) {
        throw new AssertionError("the program printed no '" + name + "'; " + result);
      }
      return values.get(name);
    }

    public long number(String name) {
      return Long.parseLong(get(name));
    }

    /** Lines the agent wrote to stderr. */
    public List<String> agentLines() {
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
