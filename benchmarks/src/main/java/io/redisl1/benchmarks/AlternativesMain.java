package io.redisl1.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
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
 * One invocation, one table: the agent's hits (forked under the real {@code -javaagent}) beside the
 * in-process floor, every alternative's hits and the plain clients (forked without it), each as a
 * ratio of Caffeine's {@code getIfPresent} measured in the same invocation. 100-byte values, one
 * thread.
 *
 * <p>Usage: {@code AlternativesMain <agent jar>}; {@code -Dbench.alt.iterations=N}, {@code
 * -Dbench.alt.seconds=S}, {@code -Dbench.alt.include=REGEX} (benchmark method names). Writes {@code
 * target/jmh-alternatives.md} and {@code .csv} (for {@code charts/plot.py}).
 */
public final class AlternativesMain {
  /**
   * The hot key (no expiry in Redis) is cached for an hour. No {@code ttl-margin}: the suite has no
   * miss rows, and the agent now refuses {@link BenchmarkMain}'s 2 h (at most 10 m), which turns
   * every call into a round trip. The checks below would show that, as they did.
   */
  private static final String CONFIG =
      "max-memory: 64MB\nmetrics:\n  port: 0\nrules:\n  - prefix: \"bench:\"\n    ttl: 1h\n";

  /** "[check] 1,234 GETs by the benchmark, 1 GET reached Redis": the first two numbers. */
  private static final java.util.regex.Pattern CHECK =
      java.util.regex.Pattern.compile("^([\\d,]+) GETs by the benchmark, ([\\d,]+) ");

  private static final String AGENT_ROWS =
      "JedisGetBenchmark\\.jedis(Pooled)?Get$|LettuceGetBenchmark\\.lettuce(Sync|Async|Reactive)Get$";
  private static final String PLAIN_ROWS =
      "CaffeineGetBenchmark\\.|ConcurrentHashMapGetBenchmark\\.|LettuceClientSideCachingBenchmark\\."
          + "|JedisClientSideCacheBenchmark\\.|RedissonLocalCachedMapBenchmark\\."
          + "|RedissonClientSideCachingBenchmark\\.|SidecarGetBenchmark\\."
          + "|JedisGetBenchmark\\.jedis(Pooled)?Get$|LettuceGetBenchmark\\.lettuceSyncGet$";

  /** Row labels, in table order; the key is "agent:" or "plain:" plus the benchmark method. */
  private static final Map<String, String[]> ROWS = new LinkedHashMap<>();

  static {
    row("plain:concurrentHashMapGet", "floor", "ConcurrentHashMap.get");
    row("plain:caffeineGetIfPresent", "floor", "Caffeine getIfPresent (the 1× reference)");
    row("agent:jedisGet", "redis-l1", "Jedis.get hit");
    row("agent:jedisPooledGet", "redis-l1", "JedisPooled.get hit");
    row("agent:lettuceSyncGet", "redis-l1", "Lettuce sync get hit");
    row("agent:lettuceAsyncGet", "redis-l1", "Lettuce async get().get() hit");
    row("agent:lettuceReactiveGet", "redis-l1", "Lettuce reactive get().block() hit");
    row("plain:lettuceClientSideCachingGet", "alternative", "Lettuce ClientSideCaching CacheFrontend.get hit");
    row("plain:jedisClientSideCacheGet", "alternative", "Jedis client-side cache (JedisPooled, RESP3) get hit");
    row("plain:redissonLocalCachedMapGet", "alternative", "Redisson RLocalCachedMap.get hit");
    row("plain:redissonClientSideCachingGet", "alternative", "Redisson RClientSideCaching bucket.get hit");
    row("plain:sidecarJedisGet", "alternative", "sidecar: Jedis.get from a replica redis-server on loopback");
    row("plain:jedisGet", "plain client", "Jedis.get, no cache (Redis on loopback)");
    row("plain:jedisPooledGet", "plain client", "JedisPooled.get, no cache (Redis on loopback)");
    row("plain:lettuceSyncGet", "plain client", "Lettuce sync get, no cache (Redis on loopback)");
  }

  private static void row(String key, String kind, String label) {
    ROWS.put(key, new String[] {kind, label});
  }

  public static void main(String[] args) throws Exception {
    Path agent = SuiteSupport.agentJar(args[0]);
    Path config = Files.writeString(Files.createTempFile("redis-l1-bench", ".yaml"), CONFIG);
    System.setProperty("java.class.path", SuiteSupport.classpathWithoutAgent());
    Map<String, String> versions = SuiteSupport.versions();

    Path agentLog = SuiteSupport.target("jmh-alternatives-agent.log");
    Collection<RunResult> withAgent =
        SuiteSupport.runLogged(
            options(AGENT_ROWS).jvmArgsAppend("-javaagent:" + agent, "-Dredisl1.config=" + config).build(),
            agentLog);
    Path plainLog = SuiteSupport.target("jmh-alternatives-plain.log");
    Collection<RunResult> without = SuiteSupport.runLogged(options(PLAIN_ROWS).build(), plainLog);

    Map<String, RunResult> results = new LinkedHashMap<>();
    withAgent.forEach(r -> results.put("agent:" + name(r), r));
    without.forEach(r -> results.put("plain:" + name(r), r));
    Map<String, String> checks = new LinkedHashMap<>();
    SuiteSupport.checks(agentLog).forEach((k, v) -> checks.put("agent:" + k, v));
    SuiteSupport.checks(plainLog).forEach((k, v) -> checks.put("plain:" + k, v));

    RunResult floor = results.get("plain:caffeineGetIfPresent");
    List<String> md = new ArrayList<>();
    List<String> csv = new ArrayList<>();
    md.add("Measured " + java.time.Instant.now() + "; " + SuiteSupport.versionsLine(versions)
        + "; load average at the end " + SuiteSupport.loadAverage() + ".");
    md.add("");
    md.add("| kind | call | ns/op | ± (99.9%) | B/op | × Caffeine getIfPresent | what reached Redis |");
    md.add("|---|---|---:|---:|---:|---:|---|");
    csv.add("kind,call,ns_per_op,error,bytes_per_op,ratio_to_caffeine");
    for (Map.Entry<String, String[]> row : ROWS.entrySet()) {
      RunResult r = results.get(row.getKey());
      if (r == null) {
        continue; // filtered out by bench.alt.include, or failed (JMH printed why)
      }
      double ns = r.getPrimaryResult().getScore();
      String ratio = floor == null ? "" : String.format(Locale.ROOT, "%.1f×", ns / floor.getPrimaryResult().getScore());
      Result alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
      String bytes = alloc == null ? "?" : String.format(Locale.ROOT, "%.0f", alloc.getScore());
      String check = checks.getOrDefault(row.getKey(), "");
      String kind = row.getValue()[0];
      if ((kind.equals("redis-l1") || kind.equals("alternative")) && !row.getKey().contains("sidecar")
          && !servedLocally(check)) {
        check = "**NOT CACHE HITS**: " + check;
        System.err.println("[alternatives] " + row.getValue()[1] + " did not measure cache hits: " + check);
      }
      md.add(String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %s | %s | %s |",
          kind, row.getValue()[1], ns, r.getPrimaryResult().getScoreError(), bytes, ratio, check));
      csv.add(String.format(Locale.ROOT, "%s,\"%s\",%.2f,%.2f,%s,%s",
          row.getValue()[0], row.getValue()[1], ns, r.getPrimaryResult().getScoreError(), bytes,
          floor == null ? "" : String.format(Locale.ROOT, "%.3f", ns / floor.getPrimaryResult().getScore())));
    }
    String table = String.join("\n", md) + "\n";
    System.out.println();
    System.out.println(table);
    Files.writeString(SuiteSupport.target("jmh-alternatives.md"), table);
    Files.writeString(SuiteSupport.target("jmh-alternatives.csv"), String.join("\n", csv) + "\n");
    System.out.println("written to target/jmh-alternatives.md and .csv");
  }

  /** At most one read in a thousand (the first fill) reached Redis. */
  private static boolean servedLocally(String check) {
    java.util.regex.Matcher m = CHECK.matcher(check);
    if (!m.find()) {
      return false;
    }
    long calls = Long.parseLong(m.group(1).replace(",", ""));
    long reached = Long.parseLong(m.group(2).replace(",", ""));
    return calls > 0 && reached * 1000 <= calls;
  }

  private static ChainedOptionsBuilder options(String rows) {
    String only = System.getProperty("bench.alt.include", "");
    int iterations = Integer.getInteger("bench.alt.iterations", 3);
    TimeValue time = TimeValue.seconds(Integer.getInteger("bench.alt.seconds", 1));
    return new OptionsBuilder()
        .include("io\\.redisl1\\.benchmarks\\.(" + rows + ")")
        .forks(1)
        .warmupIterations(iterations)
        .warmupTime(time)
        .measurementIterations(iterations)
        .measurementTime(time)
        .addProfiler(GCProfiler.class)
        .exclude(only.isEmpty() ? "^$" : "^(?!.*(" + only + ")).*$");
  }

  private static String name(RunResult r) {
    String full = r.getParams().getBenchmark();
    return full.substring(full.lastIndexOf('.') + 1);
  }
}
