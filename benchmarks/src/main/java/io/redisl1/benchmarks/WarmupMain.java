package io.redisl1.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;

/**
 * Time to steady state: hits per second over the first seconds of a fresh JVM under the agent,
 * per entry point, each in a JVM of its own started by this main.
 *
 * <p>Usage: {@code WarmupMain <agent jar> [seconds]}. Each child starts Redis, makes the first GET
 * (the miss that fills), then GETs the same key in a loop and prints, per 250 ms slice, the hits
 * of that slice and what one cost on average; then how many hits it took until a slice ran within
 * twice the last second's cost.
 */
public final class WarmupMain {
  /** The baseline, without the agent: how long a fresh JVM takes to settle a bare in-process lookup. */
  private static final String CAFFEINE = "caffeineGetIfPresent";
  private static final String[] ENTRY_POINTS = {"jedisGet", "jedisPooledGet", "lettuceSyncGet", CAFFEINE};
  private static final long SLICE_NANOS = 250_000_000L;

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--child")) {
      child(args[1], Integer.parseInt(args[2]));
      return;
    }
    Path agent = Paths.get(args[0]).toAbsolutePath();
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Path config =
        Files.writeString(
            Files.createTempFile("redis-l1-warmup", ".yaml"),
            "max-memory: 64MB\nrules:\n  - prefix: \"bench:\"\n    ttl: 1h\n");
    String classpath = withoutAgent(System.getProperty("java.class.path"));
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    // e.g. -Dbench.warmup.childArgs=-XX:+PrintCompilation, to see when the JIT compiled what.
    String childArgs = System.getProperty("bench.warmup.childArgs", "").trim();
    for (String entryPoint : ENTRY_POINTS) {
      List<String> command = new ArrayList<>(List.of(java));
      if (!childArgs.isEmpty()) {
        command.addAll(List.of(childArgs.split("\\s+")));
      }
      if (!entryPoint.equals(CAFFEINE)) {
        command.addAll(List.of("-javaagent:" + agent, "-Dredisl1.config=" + config, "-Dredisl1.metrics.enabled=false"));
      }
      command.addAll(List.of("-cp", classpath, WarmupMain.class.getName(), "--child", entryPoint, Integer.toString(seconds)));
      Process child = new ProcessBuilder(command).inheritIO().start();
      if (child.waitFor() != 0) {
        throw new IllegalStateException(entryPoint + " child exited with " + child.exitValue());
      }
    }
  }

  private static String withoutAgent(String classpath) {
    List<String> kept = new ArrayList<>();
    for (String entry : classpath.split(File.pathSeparator)) {
      if (!Paths.get(entry).getFileName().toString().startsWith("redis-l1-agent")) {
        kept.add(entry);
      }
    }
    return String.join(File.pathSeparator, kept);
  }

  private static void child(String entryPoint, int seconds) throws Exception {
    try (RedisForBenchmark redis = new RedisForBenchmark()) {
      AutoCloseable closer;
      Supplier<String> get;
      switch (entryPoint) {
        case "jedisGet": {
          Jedis jedis = new Jedis(redis.host(), redis.port());
          jedis.ping(); // connected, so the first GET can fill
          closer = jedis;
          get = () -> jedis.get(RedisForBenchmark.KEY);
          break;
        }
        case "jedisPooledGet": {
          JedisPooled pooled = new JedisPooled(redis.host(), redis.port());
          closer = pooled;
          get = () -> pooled.get(RedisForBenchmark.KEY);
          break;
        }
        case "lettuceSyncGet": {
          RedisClient client = RedisClient.create(RedisURI.create(redis.host(), redis.port()));
          StatefulRedisConnection<String, String> connection = client.connect();
          RedisCommands<String, String> sync = connection.sync();
          closer = () -> {
            connection.close();
            client.shutdown();
          };
          get = () -> sync.get(RedisForBenchmark.KEY);
          break;
        }
        case CAFFEINE: {
          Cache<String, String> cache = Caffeine.newBuilder().maximumSize(10_000).build();
          cache.put(RedisForBenchmark.KEY, "v".repeat(100));
          closer = cache::invalidateAll;
          get = () -> cache.getIfPresent(RedisForBenchmark.KEY);
          break;
        }
        default:
          throw new IllegalArgumentException("unknown entry point " + entryPoint);
      }
      // The first GET misses and fills; the channel may take a moment to confirm the endpoint.
      long serverGets;
      long deadline = System.nanoTime() + 5_000_000_000L;
      do {
        get.get();
        Thread.sleep(5);
        long before = redis.serverGets();
        get.get();
        serverGets = redis.serverGets() - before;
      } while (serverGets != 0 && System.nanoTime() < deadline);
      if (serverGets != 0) {
        throw new IllegalStateException(entryPoint + ": GETs still reach Redis, not measuring hits");
      }
      long reachedBefore = redis.serverGets();
      List<long[]> slices = new ArrayList<>(); // {hits, nanos}
      long end = System.nanoTime() + seconds * 1_000_000_000L;
      long sliceStart = System.nanoTime();
      long hits = 0;
      while (true) {
        for (int i = 0; i < 256; i++) {
          get.get();
        }
        hits += 256;
        long now = System.nanoTime();
        if (now - sliceStart >= SLICE_NANOS) {
          slices.add(new long[] {hits, now - sliceStart});
          hits = 0;
          sliceStart = now;
          if (now >= end) {
            break;
          }
        }
      }
      long reached = redis.serverGets() - reachedBefore;
      report(entryPoint, slices, reached);
      closer.close();
    }
  }

  private static void report(String entryPoint, List<long[]> slices, long reached) {
    int perSecond = (int) (1_000_000_000L / SLICE_NANOS);
    long steadyHits = 0;
    long steadyNanos = 0;
    for (int i = Math.max(0, slices.size() - perSecond); i < slices.size(); i++) {
      steadyHits += slices.get(i)[0];
      steadyNanos += slices.get(i)[1];
    }
    double steady = (double) steadyNanos / steadyHits;
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%n== %s %s, fresh JVM (%,d of the hits reached Redis)%n", entryPoint,
        entryPoint.equals(CAFFEINE) ? "without the agent (the baseline)" : "under the agent", reached));
    out.append("| from | to | hits/s | ns per hit |\n|---:|---:|---:|---:|\n");
    long total = 0;
    long untilSteady = -1;
    double t = 0;
    for (long[] slice : slices) {
      double perHit = (double) slice[1] / slice[0];
      double to = t + slice[1] / 1e9;
      out.append(String.format(Locale.ROOT, "| %.2f s | %.2f s | %,.0f | %,.0f |%n", t, to, slice[0] * 1e9 / slice[1], perHit));
      if (untilSteady < 0 && perHit <= 2 * steady) {
        untilSteady = total;
      }
      total += slice[0];
      t = to;
    }
    out.append(String.format(Locale.ROOT,
        "steady state (last second): %,.0f ns per hit; first slice within 2x of it began after %,d hits%n",
        steady, untilSteady));
    System.out.print(out);
  }
}
