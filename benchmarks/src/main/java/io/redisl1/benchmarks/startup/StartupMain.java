package io.redisl1.benchmarks.startup;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Start-up cost of the agent, in one invocation: {@code runs} JVMs of {@link StartupProbe} with the
 * agent and as many without, alternating so that load drifts hit both alike. Start-to-main is
 * timed here, from just before the process starts to the moment its {@code MAIN} line arrives;
 * main-to-Jedis is the probe's own time to load and build a {@code Jedis} (where the agent's
 * transformation of the client happens, and where a client class waits if the agent, which starts
 * beside main, is not ready yet); start to a built Jedis is the sum, per run. Medians, and the
 * same-run ratios with / without; also the agent jar's size.
 *
 * <p>Usage: {@code StartupMain <agent jar>}, {@code -Dstartup.runs=7}. Writes {@code
 * target/startup-results.md}.
 */
public final class StartupMain {
  private StartupMain() {}

  public static void main(String[] args) throws Exception {
    Path agent = Paths.get(args[0]).toAbsolutePath();
    if (!Files.isRegularFile(agent)) {
      throw new IllegalStateException("build the agent first (./mvnw -pl agent -am package): " + agent);
    }
    int runs = Integer.getInteger("startup.runs", 7);
    if (runs < 1) {
      throw new IllegalArgumentException("-Dstartup.runs must be >= 1, got " + runs);
    }
    Path config = Files.writeString(Files.createTempFile("redis-l1-startup", ".yaml"),
        "metrics:\n  port: 0\nrules:\n  - prefix: \"user:\"\n    ttl: 30s\n");
    String cp = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> !Paths.get(e).getFileName().toString().startsWith("redis-l1-agent"))
        .collect(Collectors.joining(File.pathSeparator));
    String load = loadAverage();
    List<long[]> without = new ArrayList<>();
    List<long[]> with = new ArrayList<>();
    run(cp, null, null); // one untimed run each: the OS file cache, not the agent, pays for the first
    run(cp, agent, config);
    for (int i = 0; i < runs; i++) {
      without.add(run(cp, null, null));
      with.add(run(cp, agent, config));
    }
    long[] w = medians(without);
    long[] a = medians(with);
    List<String> md = new ArrayList<>();
    md.add("Measured " + Instant.now() + ", " + System.getProperty("java.vm.name") + " "
        + System.getProperty("java.runtime.version") + ", " + Runtime.getRuntime().availableProcessors()
        + " CPUs, load average " + load + " at start and " + loadAverage() + " at the end; median of "
        + runs + " runs each, alternating. Agent jar: " + String.format(Locale.ROOT, "%,d", Files.size(agent))
        + " bytes (" + String.format(Locale.ROOT, "%.2f MB", Files.size(agent) / (1024.0 * 1024.0)) + ").");
    md.add("");
    md.add("| | start-to-main ms | JVM uptime at main ms | main to a built Jedis ms | start to a built Jedis ms |");
    md.add("|---|---:|---:|---:|---:|");
    md.add(String.format(Locale.ROOT, "| without agent | %d | %d | %.1f | %d |", w[0], w[1], w[2] / 1e6, w[3]));
    md.add(String.format(Locale.ROOT, "| with agent | %d | %d | %.1f | %d |", a[0], a[1], a[2] / 1e6, a[3]));
    md.add(String.format(Locale.ROOT, "| agent adds | %+d | %+d | %+.1f | %+d |", a[0] - w[0], a[1] - w[1], (a[2] - w[2]) / 1e6, a[3] - w[3]));
    md.add(String.format(Locale.ROOT, "| with / without | %.2f× | %.2f× | %.2f× | %.2f× |",
        (double) a[0] / w[0], (double) a[1] / w[1], (double) a[2] / w[2], (double) a[3] / w[3]));
    md.add("");
    md.add("All runs (start-to-main ms), without: " + column(without, 0) + "; with: " + column(with, 0) + ".");
    md.add("All runs (start to a built Jedis ms), without: " + column(without, 3) + "; with: " + column(with, 3) + ".");
    String text = String.join("\n", md) + "\n";
    System.out.println();
    System.out.println(text);
    Files.createDirectories(Paths.get("target"));
    Files.writeString(Paths.get("target", "startup-results.md"), text);
    System.out.println("written to target/startup-results.md");
  }

  /** start-to-main ms, uptime at main ms, main-to-Jedis ns, start to a built Jedis ms. */
  private static long[] run(String cp, Path agent, Path config) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    if (agent != null) {
      command.add("-javaagent:" + agent);
      command.add("-Dredisl1.config=" + config);
    }
    command.addAll(List.of("-cp", cp, StartupProbe.class.getName()));
    ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
    long start = System.nanoTime();
    Process p = pb.start();
    long main = -1;
    String jedis = null;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        if (line.equals("MAIN")) {
          main = System.nanoTime() - start;
        } else if (line.startsWith("JEDIS ")) {
          jedis = line;
        }
      }
    }
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || main < 0 || jedis == null) {
      p.destroyForcibly();
      throw new IllegalStateException("the start-up probe failed (" + (agent == null ? "without" : "with")
          + " agent): exit " + (p.isAlive() ? "none" : p.exitValue()) + ", output " + jedis);
    }
    long nanos = Long.parseLong(jedis.replaceAll(".*nanos=(\\d+).*", "$1"));
    long uptime = Long.parseLong(jedis.replaceAll(".*uptimeAtMainMillis=(\\d+).*", "$1"));
    return new long[] {TimeUnit.NANOSECONDS.toMillis(main), uptime, nanos, TimeUnit.NANOSECONDS.toMillis(main + nanos)};
  }

  private static long[] medians(List<long[]> runs) {
    long[] m = new long[4];
    for (int i = 0; i < m.length; i++) {
      List<Long> values = new ArrayList<>();
      for (long[] r : runs) {
        values.add(r[i]);
      }
      Collections.sort(values);
      m[i] = values.get(values.size() / 2);
    }
    return m;
  }

  private static String column(List<long[]> runs, int i) {
    return runs.stream().map(r -> Long.toString(r[i])).collect(Collectors.joining(", "));
  }

  private static String loadAverage() {
    try {
      return Files.readString(Paths.get("/proc/loadavg")).trim().split(" ")[0];
    } catch (IOException e) {
      return "unknown";
    }
  }
}
