package io.redisl1.benchmarks.load;

import io.redisl1.testsupport.ForkedJvm;
import io.redisl1.testsupport.RedisEndpoint;
import io.redisl1.testsupport.RedisHandle;
import io.redisl1.testsupport.RedisServers;
import io.redisl1.testsupport.TcpProxy;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * The closed-loop load generator, in one invocation: the same Zipf workload forked without and with
 * the real agent, against a real Redis on loopback and through a delaying TCP proxy that stands in
 * for a pod network; then hits/s at 1, 2, 4 and 8 threads under the agent against the same reads on
 * a bare Caffeine cache. Prints and writes {@code target/load-results.md} and {@code
 * target/load-scaling.csv}.
 *
 * <p>Usage: {@code LoadMain <agent jar>} with {@code -Dload.*} settings (see {@link LoadSettings});
 * Redis is the embedded {@code redis-server} unless env {@code REDIS_URL} names one.
 */
public final class LoadMain {
  private LoadMain() {}

  static String[] keys(int count) {
    String[] keys = new String[count];
    for (int i = 0; i < count; i++) {
      keys[i] = "load:key:" + i;
    }
    return keys;
  }

  static String value(int bytes) {
    return "v".repeat(bytes);
  }

  public static void main(String[] args) throws Exception {
    Path agent = Paths.get(args[0]).toAbsolutePath();
    if (!Files.isRegularFile(agent)) {
      throw new IllegalStateException("build the agent first (./mvnw -pl agent -am package): " + agent);
    }
    LoadSettings settings = LoadSettings.fromSystemProperties();
    Path config =
        Files.writeString(
            Files.createTempFile("redis-l1-load", ".yaml"),
            "max-memory: " + settings.maxMemory() + "\nmetrics:\n  port: 0\nrules:\n  - prefix: \"load:\"\n    ttl: 1h\n");
    System.setProperty("java.class.path", classpathWithoutAgent());
    String loadAtStart = loadAverage();
    List<String> md = new ArrayList<>();
    List<String> csv = new ArrayList<>();
    try (RedisHandle redis = RedisServers.start();
        TcpProxy proxy = TcpProxy.to(redis.endpoint())) {
      proxy.delayMicros(settings.delayMicros());
      fill(redis.endpoint(), settings);
      md.add("Measured " + Instant.now() + " on " + Runtime.getRuntime().availableProcessors()
          + " CPUs (load average " + loadAtStart + " at start), " + System.getProperty("java.vm.name") + " "
          + System.getProperty("java.runtime.version") + ", Redis: " + redis.description() + ". Workload: "
          + settings.describe() + ". Client: JedisPooled, one pooled connection per thread.");
      md.add("");
      md.add("| network | agent | ops/s | p50 µs | p99 µs | p99.9 µs | L1 hit rate | Redis GETs/s | Redis commands/s | ops/s vs. no agent |");
      md.add("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
      for (boolean delayed : new boolean[] {false, true}) {
        RedisEndpoint target = delayed ? proxy.endpoint() : redis.endpoint();
        String network = delayed ? String.format(Locale.ROOT, "+%d µs round trip (proxy)", 2 * settings.delayMicros()) : "loopback";
        Result without = run(null, null, "redis", target, redis.endpoint(), settings, settings.threads(), settings.readRatio(), settings.seconds());
        Result with = run(agent, config, "redis", target, redis.endpoint(), settings, settings.threads(), settings.readRatio(), settings.seconds());
        md.add(without.row(network, "no", ""));
        md.add(with.row(network, "yes", String.format(Locale.ROOT, "%.1f×", with.opsPerSecond() / without.opsPerSecond())));
      }

      md.add("");
      md.add("Scaling: read-only, same keys and skew, every key read once before the warm-up (Caffeine starts"
          + " filled), " + settings.scalingSeconds() + " s measured per point."
          + " A CPU-bound caller cannot scale past the machine's " + Runtime.getRuntime().availableProcessors() + " CPUs.");
      md.add("");
      md.add("| threads | Caffeine getIfPresent hits/s | redis-l1 JedisPooled.get hits/s | ÷ Caffeine | redis-l1 Jedis.get hits/s (a Jedis per thread) | ÷ Caffeine | L1 hit rate (pooled, per-thread) | p99 µs (pooled, per-thread) |");
      md.add("|---:|---:|---:|---:|---:|---:|---:|---:|");
      csv.add("threads,caffeine_hits_per_s,agent_hits_per_s,agent_jedis_hits_per_s,agent_hit_rate");
      for (int threads : settings.scalingThreads()) {
        Result caffeine = run(null, null, "caffeine", null, null, settings, threads, 1.0, settings.scalingSeconds());
        Result l1 = run(agent, config, "redis", redis.endpoint(), redis.endpoint(), settings, threads, 1.0, settings.scalingSeconds());
        Result plain = run(agent, config, "jedis", redis.endpoint(), redis.endpoint(), settings, threads, 1.0, settings.scalingSeconds());
        md.add(String.format(Locale.ROOT, "| %d | %,.0f | %,.0f | %.2f | %,.0f | %.2f | %.4f, %.4f | %.1f, %.1f |", threads,
            caffeine.hitsPerSecond(), l1.hitsPerSecond(), l1.hitsPerSecond() / caffeine.hitsPerSecond(),
            plain.hitsPerSecond(), plain.hitsPerSecond() / caffeine.hitsPerSecond(), l1.hitRate(), plain.hitRate(),
            l1.p99 / 1000.0, plain.p99 / 1000.0));
        csv.add(String.format(Locale.ROOT, "%d,%.0f,%.0f,%.0f,%.5f", threads, caffeine.hitsPerSecond(), l1.hitsPerSecond(),
            plain.hitsPerSecond(), l1.hitRate()));
      }
    }
    md.add("");
    md.add("Load average at the end: " + loadAverage() + ".");
    String table = String.join("\n", md) + "\n";
    System.out.println();
    System.out.println(table);
    Path out = Paths.get("target");
    Files.createDirectories(out);
    Files.writeString(out.resolve("load-results.md"), table);
    Files.writeString(out.resolve("load-scaling.csv"), String.join("\n", csv) + "\n");
    System.out.println("written to target/load-results.md and target/load-scaling.csv");
  }

  /** Every key holds a value before the first run, so a read never misses in Redis itself. */
  private static void fill(RedisEndpoint redis, LoadSettings settings) {
    String value = value(settings.valueBytes());
    try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
      Pipeline pipeline = jedis.pipelined();
      String[] keys = keys(settings.keys());
      for (int i = 0; i < keys.length; i++) {
        pipeline.set(keys[i], value);
        if (i % 1000 == 999) {
          pipeline.sync();
        }
      }
      pipeline.sync();
    }
  }

  private static Result run(Path agent, Path config, String mode, RedisEndpoint target, RedisEndpoint stats,
      LoadSettings s, int threads, double reads, int seconds) {
    ForkedJvm.Builder fork = ForkedJvm.builder().mainClass(LoadWorker.class).jvmArg("-Xmx1g")
        .timeout(Duration.ofSeconds(s.warmupSeconds() + seconds + 180L));
    if (agent != null) {
      fork.javaagent(agent).systemProperty("redisl1.config", config.toString());
    }
    Map<String, String> props = new HashMap<>();
    props.put("load.keys", Integer.toString(s.keys()));
    props.put("load.skew", Double.toString(s.skew()));
    props.put("load.reads", Double.toString(reads));
    props.put("load.valueBytes", Integer.toString(s.valueBytes()));
    props.put("load.threads", Integer.toString(threads));
    props.put("load.warmup", Integer.toString(s.warmupSeconds()));
    props.put("load.seconds", Integer.toString(seconds));
    props.put("load.prefill", Boolean.toString(reads >= 1.0)); // the scaling runs
    props.forEach(fork::systemProperty);
    if (!mode.equals("caffeine")) {
      fork.args(mode, target.host(), Integer.toString(target.port()), stats.host(), Integer.toString(stats.port()));
    } else {
      fork.args(mode);
    }
    String what = (agent == null ? "without agent" : "with agent") + ", " + mode + ", " + threads + " threads"
        + (target != null && !target.equals(stats) ? ", delayed" : "");
    System.out.println("[load] running " + what + " ...");
    ForkedJvm.Result r = fork.run();
    String line = Arrays.stream(r.stdout().split("\r?\n")).filter(l -> l.startsWith("RESULT ")).findFirst()
        .orElseThrow(() -> new IllegalStateException("the load run (" + what + ") printed no RESULT line: " + r));
    Result result = Result.parse(line);
    System.out.println("[load] " + what + ": " + line);
    return result;
  }

  private static String classpathWithoutAgent() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> !Paths.get(e).getFileName().toString().startsWith("redis-l1-agent"))
        .collect(Collectors.joining(File.pathSeparator));
  }

  private static String loadAverage() {
    try {
      return Files.readString(Paths.get("/proc/loadavg")).trim().split(" ")[0];
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  /** One worker's RESULT line. Latencies in ns. */
  record Result(double seconds, long reads, long found, long writes, long failures, long p50, long p99, long p999,
      long serverGets, long serverSets, long serverCommands) {
    static Result parse(String line) {
      Map<String, String> v = new HashMap<>();
      for (String part : line.substring("RESULT ".length()).trim().split(" ")) {
        String[] kv = part.split("=", 2);
        v.put(kv[0], kv[1]);
      }
      return new Result(Double.parseDouble(v.get("seconds")), Long.parseLong(v.get("reads")),
          Long.parseLong(v.get("found")), Long.parseLong(v.get("writes")), Long.parseLong(v.get("failures")),
          Long.parseLong(v.get("p50")), Long.parseLong(v.get("p99")), Long.parseLong(v.get("p999")),
          Long.parseLong(v.get("serverGets")), Long.parseLong(v.get("serverSets")), Long.parseLong(v.get("serverCommands")));
    }

    double opsPerSecond() {
      return (reads + writes) / seconds;
    }

    /** Reads answered without a GET reaching Redis (0 without the agent; 1 for Caffeine alone). */
    double hitRate() {
      return reads == 0 ? 0 : Math.max(0, 1 - (double) serverGets / reads);
    }

    double hitsPerSecond() {
      return reads * hitRate() / seconds;
    }

    String row(String network, String agent, String ratio) {
      return String.format(Locale.ROOT, "| %s | %s | %,.0f | %.1f | %.1f | %.1f | %.4f | %,.0f | %,.0f | %s |%s",
          network, agent, opsPerSecond(), p50 / 1000.0, p99 / 1000.0, p999 / 1000.0, hitRate(),
          serverGets / seconds, serverCommands / seconds, ratio,
          failures == 0 ? "" : " (" + failures + " failed calls)");
    }
  }
}
