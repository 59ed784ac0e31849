package io.redisl1.testsupport;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Runs a main class in a separate JVM, the only honest way to test a {@code -javaagent}: premain,
 * bootstrap-path tricks and class transformation all happen before any test code could run.
 *
 * <pre>{@code
 * ForkedJvm.Result r = ForkedJvm.builder()
 *     .javaagent(agentJar)
 *     .systemProperty("redis.l1.enabled", "true")
 *     .mainClass(SampleApp.class)
 *     .args(redis.uri())
 *     .run();
 * }</pre>
 */
public final class ForkedJvm {
  private ForkedJvm() {}

  public static Builder builder() {
    return new Builder();
  }

  /**
   * A JDK home of the given major version: this JVM's own if it matches, else the first under
   * {@code /usr/lib/jvm} whose {@code release} file says so. Empty if none; tests should then
   * skip (assume), not fail, because which JDKs exist depends on the machine.
   */
  public static Optional<Path> findJdk(int featureVersion) {
    return JdkLocator.find(featureVersion);
  }

  /** Exit code and the complete output of a finished forked JVM. */
  public record Result(int exitCode, String stdout, String stderr) {
    @Override
    public String toString() {
      return "exit code " + exitCode + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
    }
  }

  public static final class Builder {
    private Path javaHome = Path.of(System.getProperty("java.home"));
    private final List<String> jvmArgs = new ArrayList<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private List<Path> classpath;
    private String mainClass;
    private final List<String> args = new ArrayList<>();
    private Duration timeout = Duration.ofSeconds(60);

    private Builder() {}

    /** Runs {@code javaHome/bin/java}; default is the JVM running the tests. */
    public Builder javaHome(Path javaHome) {
      this.javaHome = javaHome;
      return this;
    }

    public Builder javaagent(Path jar) {
      return jvmArg("-javaagent:" + jar.toAbsolutePath());
    }

    public Builder systemProperty(String key, String value) {
      return jvmArg("-D" + key + "=" + value);
    }

    /** Any other JVM option, e.g. {@code -Xmx64m}; goes before the main class. */
    public Builder jvmArg(String arg) {
      jvmArgs.add(arg);
      return this;
    }

    /** Added to (not replacing) the environment inherited from this JVM. */
    public Builder env(String key, String value) {
      env.put(key, value);
      return this;
    }

    /** Default: this JVM's {@code java.class.path}, i.e. the test classpath under surefire. */
    public Builder classpath(List<Path> entries) {
      this.classpath = List.copyOf(entries);
      return this;
    }

    public Builder mainClass(Class<?> mainClass) {
      return mainClass(mainClass.getName());
    }

    public Builder mainClass(String mainClass) {
      this.mainClass = mainClass;
      return this;
    }

    public Builder args(String... args) {
      this.args.addAll(Arrays.asList(args));
      return this;
    }

    /** Default 60s. On expiry the whole process tree is killed and run() throws AssertionError. */
    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    public Result run() {
      if (mainClass == null) {
        throw new IllegalStateException("mainClass is required");
      }
      String cp = classpath == null
          ? System.getProperty("java.class.path")
          : classpath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
      List<String> command = new ArrayList<>();
      command.add(javaHome.resolve("bin").resolve("java").toString());
      command.addAll(jvmArgs);
      command.add("-cp");
      command.add(cp);
      command.add(mainClass);
      command.addAll(args);
      return ProcessRunner.run(command, env, timeout);
    }
  }
}
