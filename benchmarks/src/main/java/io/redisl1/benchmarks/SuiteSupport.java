package io.redisl1.benchmarks;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import io.redisl1.testsupport.RedisHandle;
import io.redisl1.testsupport.RedisServers;
import io.redisl1.testsupport.RespClient;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.VerboseMode;

/** What the comparison, load, memory and start-up suites share: the agent jar, logs, versions. */
final class SuiteSupport {
  private SuiteSupport() {}

  static Path agentJar(String arg) {
    Path agent = Paths.get(arg).toAbsolutePath();
    if (!Files.isRegularFile(agent)) {
      throw new IllegalStateException("build the agent first (./mvnw -pl agent -am package): " + agent);
    }
    return agent;
  }

  /** Same reason as in {@link BenchmarkMain}: forks must load the agent from the -javaagent jar only. */
  static String classpathWithoutAgent() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> !Paths.get(entry).getFileName().toString().startsWith("redis-l1-agent"))
        .collect(Collectors.joining(File.pathSeparator));
  }

  static Path target(String file) throws IOException {
    Path out = Paths.get("target", file);
    Files.createDirectories(out.getParent());
    return out;
  }

  /**
   * Runs JMH with its output on the console and in {@code log}, so the forks' {@code [check]} lines
   * can be read back per benchmark.
   */
  static Collection<RunResult> runLogged(Options options, Path log) throws IOException, RunnerException {
    PrintStream console = System.out;
    try (OutputStream file = new FileOutputStream(log.toFile())) {
      PrintStream tee = new PrintStream(new Tee(console, file), true, StandardCharsets.UTF_8);
      // The forks' own output reaches this JVM's System.out, not the output format.
      System.setOut(tee);
      return new Runner(options, OutputFormatFactory.createFormatInstance(tee, VerboseMode.NORMAL)).run();
    } catch (NoBenchmarksException e) {
      return List.of(); // a -D...include filter left nothing of this half
    } finally {
      System.setOut(console);
    }
  }

  /** The last {@code [check]} line each benchmark's fork printed, by the benchmark's method name. */
  static Map<String, String> checks(Path log) throws IOException {
    Map<String, String> checks = new LinkedHashMap<>();
    String benchmark = null;
    for (String line : Files.readAllLines(log)) {
      if (line.startsWith("# Benchmark: ")) {
        String full = line.substring("# Benchmark: ".length()).trim();
        benchmark = full.substring(full.lastIndexOf('.') + 1);
      } else if (line.startsWith("[check] ") && benchmark != null) {
        checks.put(benchmark, line.substring("[check] ".length()).trim());
      }
    }
    return checks;
  }

  /** Versions as the jars on the class path declare them, so a table names what it measured. */
  static Map<String, String> versions() {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("JDK", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    v.put("Jedis", jarVersion("redis.clients", "jedis"));
    v.put("Lettuce", jarVersion("io.lettuce", "lettuce-core"));
    v.put("Redisson", jarVersion("org.redisson", "redisson"));
    v.put("Caffeine", jarVersion("com.github.ben-manes.caffeine", "caffeine"));
    v.put("JMH", jarVersion("org.openjdk.jmh", "jmh-core"));
    v.put("redis-server", redisServerVersion());
    v.put("CPUs", Integer.toString(Runtime.getRuntime().availableProcessors()));
    v.put("load average at start", loadAverage());
    return v;
  }

  static String versionsLine(Map<String, String> versions) {
    List<String> parts = new ArrayList<>();
    versions.forEach((k, val) -> parts.add(k + " " + val));
    return String.join(", ", parts);
  }

  static String loadAverage() {
    try {
      return Files.readString(Paths.get("/proc/loadavg")).trim().split(" ")[0];
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static String jarVersion(String group, String artifact) {
    String resource = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
    try (InputStream in = SuiteSupport.class.getResourceAsStream(resource)) {
      if (in == null) {
        return versionFromJarName(artifact);
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Jars built without Maven metadata (Caffeine is built with Gradle): the version in the jar's name. */
  private static String versionFromJarName(String artifact) {
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String file = Paths.get(entry).getFileName().toString();
      if (file.startsWith(artifact + "-") && file.endsWith(".jar")) {
        return file.substring(artifact.length() + 1, file.length() - ".jar".length());
      }
    }
    return "unknown";
  }

  private static String redisServerVersion() {
    try (RedisHandle redis = RedisServers.start();
        RespClient client = redis.endpoint().connect()) {
      for (String line : ((String) client.call("INFO", "server")).split("\r?\n")) {
        if (line.startsWith("redis_version:")) {
          return line.substring("redis_version:".length()).trim() + " (" + redis.description() + ")";
        }
      }
      return "unknown";
    }
  }

  /** Writes everything to two streams. */
  private static final class Tee extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    Tee(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int c) throws IOException {
      a.write(c);
      b.write(c);
    }

    @Override
    public void write(byte[] buf, int off, int len) throws IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }

    @Override
    public void flush() throws IOException {
      a.flush();
      b.flush();
    }
  }
}
