package io.redisl1.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Which part of a hit scales worse than Caffeine as threads are added: at each thread count, side
 * by side, Caffeine's {@code getIfPresent} (the floor), the agent's store lookup alone and Jedis
 * building a GET's command alone ({@link SharedHitBenchmark}, no agent), and hits through the
 * clients under the agent ({@link ScalingClientHitBenchmark}), all over the same keys. Each row is
 * set against its own 1-thread figure and against Caffeine at the same thread count; a row that
 * falls behind while the parts under it keep up points at what the row adds.
 *
 * <p>Usage: {@code ScalingMain <agent jar>}; {@code -Dbench.iterations} (default 5), {@code
 * -Dbench.seconds} (default 1), {@code -Dbench.threads} (default 1,2,4,8), {@code -Dbench.forks}
 * (default 1; forks of one row on this machine can settle in different JIT outcomes, so with more
 * than one the table lists each fork's mean), {@code -Dbench.keys} (default 1,024), {@code
 * -Dbench.include=REGEX} (only the rows whose names match; Caffeine always runs), {@code
 * -Dbench.jvmArgs} (appended to every fork, space-separated), {@code -Dbench.jfr=true} (JMH's JFR
 * profiler on every fork, recordings under {@code target/jfr-scaling/<threads>t/}; it starts with
 * the first measured iteration and slows it). Writes {@code target/jmh-scaling-results.md}.
 */
public final class ScalingMain {
  /** The rows in table order: benchmark method, what it measures, whether it runs under the agent. */
  private static final String[][] ROWS = {
    {"sharedCaffeineGetIfPresent", "Caffeine `getIfPresent`, one shared cache (the floor)", "no"},
    {"sharedSessionLookup", "the agent's share: `RedisSession.lookup` on one shared store, a session per thread", "no"},
    {"jedisCommandOnly", "Jedis building the GET command (`CommandObjects.get`), per thread", "no"},
    {"jedisGetPerThread", "`Jedis.get` hit, a `Jedis` per thread", "yes"},
    {"jedisPooledGetShared", "`JedisPooled.get` hit, one `JedisPooled` for all threads", "yes"},
    {"jedisPooledGetPerThread", "`JedisPooled.get` hit, a `JedisPooled` per thread", "yes"},
    {"lettuceSyncGetShared", "Lettuce sync `get` hit, one connection for all threads", "yes"},
  };

  public static void main(String[] args) throws Exception {
    Path agent = SuiteSupport.agentJar(args[0]);
    Path config = Files.writeString(Files.createTempFile("redis-l1-bench", ".yaml"), BenchmarkMain.CONFIG);
    System.setProperty("java.class.path", SuiteSupport.classpathWithoutAgent());
    int iterations = Integer.getInteger("bench.iterations", 5);
    TimeValue time = TimeValue.seconds(Integer.getInteger("bench.seconds", 1));
    String[] threads = System.getProperty("bench.threads", "1,2,4,8").split(",");
    int forks = Integer.getInteger("bench.forks", 1);
    String loadAtStart = SuiteSupport.loadAverage();
    Instant started = Instant.now();

    // Per thread count: the rows' results and the forks' [check] lines, by benchmark method.
    List<Map<String, RunResult>> results = new ArrayList<>();
    List<Map<String, List<String>>> checks = new ArrayList<>();
    for (String t : threads) {
      int n = Integer.parseInt(t.trim());
      Map<String, RunResult> byName = new LinkedHashMap<>();
      Path log = SuiteSupport.target("jmh-scaling-" + n + "t.log");
      Collection<RunResult> plain = SuiteSupport.runLogged(
          options(SharedHitBenchmark.class, n, forks, iterations, time).build(), log);
      Path agentLog = SuiteSupport.target("jmh-scaling-" + n + "t-agent.log");
      Collection<RunResult> withAgent = SuiteSupport.runLogged(
          options(ScalingClientHitBenchmark.class, n, forks, iterations, time,
              "-javaagent:" + agent, "-Dredisl1.config=" + config).build(),
          agentLog);
      plain.forEach(r -> byName.put(method(r), r));
      withAgent.forEach(r -> byName.put(method(r), r));
      results.add(byName);
      checks.add(checks(agentLog));
    }

    Map<String, String> versions = SuiteSupport.versions();
    StringBuilder md = new StringBuilder();
    md.append(String.format(Locale.ROOT,
        "Measured %s, %s CPUs, load average %s at start and %s at the end; %s, Jedis %s, Lettuce %s, Caffeine %s; "
            + "%d × %s s warm-up and %d × %s s measured, %s per row and thread count; keys: %,d (`bench:0` to "
            + "`bench:%d`), one at random per call; client rows under the agent, each client having read every key "
            + "before its first measured call, until a pass over them reached Redis with no GET.%n%n",
        started, versions.get("CPUs"), loadAtStart, SuiteSupport.loadAverage(), versions.get("JDK"),
        versions.get("Jedis"), versions.get("Lettuce"), versions.get("Caffeine"), iterations, time.getTime(),
        iterations, time.getTime(), forks == 1 ? "1 fork" : forks + " forks", SharedHitBenchmark.KEYS, SharedHitBenchmark.KEYS - 1));
    md.append("| threads | call | agent | hits/s | ± (99.9%) | vs. its " + threads[0].trim() + "-thread figure |"
        + " ÷ Caffeine, same threads | B/op | GETs reaching Redis after the pre-read |"
        + (forks > 1 ? " fork means |\n" : "\n"));
    md.append("|---:|---|---|---:|---:|---:|---:|---:|---:|" + (forks > 1 ? "---|\n" : "\n"));
    for (int i = 0; i < threads.length; i++) {
      RunResult caffeine = results.get(i).get(ROWS[0][0]);
      for (String[] row : ROWS) {
        RunResult r = results.get(i).get(row[0]);
        if (r == null) {
          continue; // left out by -Dbench.include
        }
        RunResult single = results.get(0).get(row[0]);
        Result alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
        md.append(String.format(Locale.ROOT, "| %s | %s | %s | %,.0f | %s | %s | %s | %s | %s |%s%n",
            threads[i].trim(), row[1], row[2], perSecond(r), error(r),
            single == null ? "" : String.format(Locale.ROOT, "%.2f×", perSecond(r) / perSecond(single)),
            caffeine == null ? "" : String.format(Locale.ROOT, "%.2f", perSecond(r) / perSecond(caffeine)),
            alloc == null ? "?" : String.format(Locale.ROOT, "%.0f", alloc.getScore()),
            row[2].equals("yes") ? afterPreRead(checks.get(i).get(row[0])) : "",
            forks > 1 ? " " + forkMeans(r) + " |" : ""));
      }
    }
    System.out.println();
    System.out.println(md);
    Path out = SuiteSupport.target("jmh-scaling-results.md");
    Files.writeString(out, md);
    System.out.println("written to " + out.toAbsolutePath());
  }

  private static ChainedOptionsBuilder options(
      Class<?> benchmark, int threads, int forks, int iterations, TimeValue time, String... forkArgs) {
    String only = System.getProperty("bench.include", "");
    List<String> jvmArgs = new ArrayList<>(List.of(forkArgs));
    jvmArgs.add("-Dbench.keys=" + SharedHitBenchmark.KEYS);
    String extra = System.getProperty("bench.jvmArgs", "").trim();
    if (!extra.isEmpty()) {
      jvmArgs.addAll(List.of(extra.split("\\s+")));
    }
    ChainedOptionsBuilder options = new OptionsBuilder()
        .include(benchmark.getName())
        .threads(threads)
        .forks(forks)
        .warmupIterations(iterations)
        .warmupTime(time)
        .measurementIterations(iterations)
        .measurementTime(time)
        .addProfiler(GCProfiler.class)
        .jvmArgsAppend(jvmArgs.toArray(new String[0])); // replaces, so all at once
    if (!only.isEmpty()) {
      options = options.exclude("^(?!.*(" + only + "|sharedCaffeineGetIfPresent)).*$"); // every ratio needs Caffeine
    }
    if (Boolean.getBoolean("bench.jfr")) {
      options = options.addProfiler("jfr",
          "dir=" + Path.of("target", "jfr-scaling", threads + "t").toAbsolutePath() + ";configName=profile");
    }
    return options;
  }

  /** Each fork's mean in millions of hits/s, so forks that settled apart show. */
  private static String forkMeans(RunResult r) {
    List<String> means = new ArrayList<>();
    r.getBenchmarkResults().forEach(b -> means.add(String.format(Locale.ROOT, "%.1f", b.getPrimaryResult().getScore())));
    return String.join(", ", means) + " M";
  }

  /** The 99.9% error in hits/s, or n/a where JMH has too few iterations to give one. */
  private static String error(RunResult r) {
    double error = r.getPrimaryResult().getScoreError() * 1e6;
    return Double.isNaN(error) ? "n/a" : String.format(Locale.ROOT, "%,.0f", error);
  }

  private static double perSecond(RunResult r) {
    return r.getPrimaryResult().getScore() * 1e6; // ops/µs
  }

  /** Every fork's {@code [check]} line, by benchmark method, in fork order. */
  private static Map<String, List<String>> checks(Path log) throws IOException {
    Map<String, List<String>> checks = new LinkedHashMap<>();
    String benchmark = null;
    for (String line : Files.readAllLines(log)) {
      if (line.startsWith("# Benchmark: ")) {
        benchmark = line.substring(line.lastIndexOf('.') + 1).trim();
      } else if (line.startsWith("[check] ") && benchmark != null) {
        checks.computeIfAbsent(benchmark, b -> new ArrayList<>()).add(line.substring("[check] ".length()).trim());
      }
    }
    return checks;
  }

  /**
   * "0 (1,024 during it)" from each fork's {@code [check]} line ("&lt;during&gt; GETs reached Redis
   * during the pre-read of &lt;keys&gt; keys, &lt;after&gt; after it"), or the line itself if it
   * reads otherwise.
   */
  private static String afterPreRead(List<String> forks) {
    if (forks == null || forks.isEmpty()) {
      return "? (no [check] line)";
    }
    List<String> each = new ArrayList<>();
    for (String check : forks) {
      String[] words = check.split(" ");
      each.add(words.length == 13 ? words[10] + " (" + words[0] + " during it)" : check);
    }
    return String.join("; ", each);
  }

  private static String method(RunResult r) {
    String full = r.getParams().getBenchmark();
    return full.substring(full.lastIndexOf('.') + 1);
  }
}
