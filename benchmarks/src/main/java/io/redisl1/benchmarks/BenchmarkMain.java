package io.redisl1.benchmarks;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the GET benchmarks under the agent and without it, one after the other in one invocation,
 * and prints one table with each hit's cost as a ratio of the same call without the agent.
 *
 * <p>Usage: {@code BenchmarkMain <agent jar>}; {@code -Dbench.iterations=N} and {@code
 * -Dbench.seconds=S} shorten or lengthen the run; {@code -Dbench.include=REGEX} runs only the
 * benchmarks whose names match (e.g. {@code Miss}); {@code -Dbench.without=false} leaves out the
 * calls without the agent (round trips), keeping the Caffeine floor and the agent's share.
 *
 * <p>Without the agent it also runs each client's own work on a hit, no agent and no I/O ({@link
 * #CLIENT_FLOORS}), so a hit's ratio to Caffeine can be set against what the client alone costs.
 */
public final class BenchmarkMain {
  /**
   * The hot key has no expiry, so it is cached for the rule's hour; the miss key expires within
   * 5 minutes, inside the 10 minute margin (the largest allowed), so it is never cached.
   */
  static final String CONFIG =
      "max-memory: 64MB\nttl-margin: 10m\nrules:\n  - prefix: \"bench:\"\n    ttl: 1h\n";

  private static final String LETTUCE_FLOOR = "n/a: Lettuce's own work for a GET answered without I/O, no agent";

  /** The rows that measure a client's own work on a hit, no agent and no I/O, with what each one stands for. */
  private static final Map<String, String> CLIENT_FLOORS =
      Map.of(
          "jedisCommandOnly", "n/a: Jedis building the GET command, no agent, no I/O",
          "jedisPoolBorrowOnly", "n/a: JedisPool's borrow and return of a connection, no GET, no agent",
          "lettuceSyncGetWithoutIo", LETTUCE_FLOOR,
          "lettuceAsyncGetWithoutIo", LETTUCE_FLOOR,
          "lettuceReactiveGetWithoutIo", LETTUCE_FLOOR,
          "springTemplateExecuteOnly",
              "n/a: StringRedisTemplate's connection handling around a callback that sends nothing, no agent, no I/O",
          "springTemplateGetWithoutIo",
              "n/a: Spring Data Redis's and Lettuce's own work for a GET answered without I/O, no agent");

  public static void main(String[] args) throws Exception {
    Path agent = Paths.get(args[0]).toAbsolutePath();
    if (!Files.isRegularFile(agent)) {
      throw new IllegalStateException("build the agent first: " + agent);
    }
    Path config = Files.writeString(Files.createTempFile("redis-l1-bench", ".yaml"), CONFIG);
    withoutAgentOnClasspath();

    Collection<RunResult> withAgent =
        new Runner(
                options(JedisGetBenchmark.class)
                    .include(LettuceGetBenchmark.class.getName())
                    .include(SpringGetBenchmark.class.getName())
                    .include(GetMissBenchmark.class.getName())
                    .exclude("jedisCommandOnly|jedisPoolBorrowOnly") // references without the agent, below
                    .jvmArgsAppend("-javaagent:" + agent, "-Dredisl1.config=" + config)
                    .build())
            .run();
    // -Dbench.without=false: only the floor and the agent's share, no round trips without the agent.
    ChainedOptionsBuilder plain =
        Boolean.parseBoolean(System.getProperty("bench.without", "true"))
            ? options(JedisGetBenchmark.class)
                .include(LettuceGetBenchmark.class.getName())
                .include(SpringGetBenchmark.class.getName())
                .include(GetMissBenchmark.class.getName())
                .include(CaffeineGetBenchmark.class.getName())
            : options(CaffeineGetBenchmark.class)
                .include(JedisGetBenchmark.class.getName() + ".(jedisCommandOnly|jedisPoolBorrowOnly)");
    Collection<RunResult> without =
        new Runner(
                plain
                    .include(L1StoreGetBenchmark.class.getName())
                    .include(LettuceClientFloorBenchmark.class.getName())
                    .include(SpringClientFloorBenchmark.class.getName())
                    .build())
            .run();

    String table = table(withAgent, without);
    System.out.println();
    System.out.println(table);
    Path out = Paths.get("target", "jmh-results.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, table);
    System.out.println("written to " + out.toAbsolutePath());
  }

  /**
   * JMH forks inherit this JVM's class path, where the agent sits only to order the build. Left
   * there, the fork's JVM would load the premain class from that copy (it precedes the -javaagent
   * jar), and the agent would bootstrap that copy, possibly a stale one from ~/.m2, instead of the
   * jar under test.
   */
  private static void withoutAgentOnClasspath() {
    String kept =
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(entry -> !Paths.get(entry).getFileName().toString().startsWith("redis-l1-agent"))
            .collect(Collectors.joining(File.pathSeparator));
    System.setProperty("java.class.path", kept);
  }

  private static ChainedOptionsBuilder options(Class<?> benchmark) {
    String only = System.getProperty("bench.include", "");
    int iterations = Integer.getInteger("bench.iterations", 5);
    TimeValue time = TimeValue.seconds(Integer.getInteger("bench.seconds", 2));
    return new OptionsBuilder()
        .include(benchmark.getName())
        .forks(1)
        .warmupIterations(iterations)
        .warmupTime(time)
        .measurementIterations(iterations)
        .measurementTime(time)
        .addProfiler(GCProfiler.class)
        // The floor (Caffeine) and the agent's share always run: every ratio needs them.
        .exclude(only.isEmpty() ? "^$" : "^(?!.*(" + only + "|caffeineGetIfPresent|sessionLookup|jedisCommandOnly)).*$");
  }

  private static String table(Collection<RunResult> withAgent, Collection<RunResult> without) {
    Map<String, RunResult> baseline = new LinkedHashMap<>();
    for (RunResult r : without) {
      baseline.put(name(r.getParams()), r);
    }
    RunResult caffeine = baseline.get("caffeineGetIfPresent");
    List<String> rows = new ArrayList<>();
    rows.add("| call | agent | ns/op | ± (99.9%) | B/op allocated | vs. Caffeine getIfPresent | vs. same call without agent |");
    rows.add("|---|---|---:|---:|---:|---:|---:|");
    for (RunResult r : withAgent) {
      boolean miss = name(r.getParams()).endsWith("Miss");
      RunResult base = baseline.get(name(r.getParams()));
      String ratio =
          base == null
              ? ""
              : miss
                  ? String.format(Locale.ROOT, "%.2f× (%+.1f µs)", score(r) / score(base), (score(r) - score(base)) / 1000)
                  : String.format(Locale.ROOT, "%.4f× (%.0f× faster)", score(r) / score(base), score(base) / score(r));
      String what =
          name(r.getParams()).endsWith("UncachedMiss")
              ? "yes, no rule: plain GET"
              : miss ? "yes, miss: GET + PTTL" : "yes, L1 hit";
      String floor =
          caffeine == null || miss ? "" : String.format(Locale.ROOT, "%.2f×", score(r) / score(caffeine));
      rows.add(row(r, what, floor, ratio));
    }
    for (RunResult r : without) {
      String name = name(r.getParams());
      if (CLIENT_FLOORS.containsKey(name)) {
        String floor =
            caffeine == null ? "" : String.format(Locale.ROOT, "%.2f×", score(r) / score(caffeine));
        rows.add(row(r, CLIENT_FLOORS.get(name), floor, ""));
        continue;
      }
      if (name.startsWith("caffeine")) {
        rows.add(row(r, "n/a: the app's own Caffeine lookup", "1 (floor)", ""));
      } else if (name.startsWith("session")) {
        String floor =
            caffeine == null ? "" : String.format(Locale.ROOT, "%.2f×", score(r) / score(caffeine));
        rows.add(row(r, "n/a: the agent's share of a hit, no client", floor, ""));
      } else {
        rows.add(row(r, "no, Redis on loopback", "", "1 (baseline)"));
      }
    }
    return String.join("\n", rows) + "\n";
  }

  private static String row(RunResult r, String agent, String floor, String ratio) {
    Result primary = r.getPrimaryResult();
    Result alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
    return String.format(
        Locale.ROOT,
        "| %s | %s | %.1f | %.1f | %s | %s | %s |",
        name(r.getParams()),
        agent,
        primary.getScore(),
        primary.getScoreError(),
        alloc == null ? "?" : String.format(Locale.ROOT, "%.0f", alloc.getScore()),
        floor,
        ratio);
  }

  private static double score(RunResult r) {
    return r.getPrimaryResult().getScore();
  }

  private static String name(BenchmarkParams params) {
    String full = params.getBenchmark();
    return full.substring(full.lastIndexOf('.') + 1);
  }
}
