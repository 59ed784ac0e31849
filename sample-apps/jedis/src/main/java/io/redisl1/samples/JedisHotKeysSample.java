package io.redisl1.samples;

import io.redisl1.testsupport.RedisHandle;
import io.redisl1.testsupport.RedisServers;
import io.redisl1.testsupport.RespClient;
import java.util.Random;
import redis.clients.jedis.JedisPooled;

/**
 * A plain Jedis program reading a few hot keys many times, as services do. Nothing in it knows of
 * the agent: run it with and without {@code -javaagent} to compare. The hit rate is measured at the
 * server, from how many GETs reached it, not taken from the agent.
 */
public final class JedisHotKeysSample {
  private static final int PRODUCTS = 1_000;
  private static final int HOT_READS = 200_000;
  private static final int BYPASSED_READS = 20_000;
  /** Hot reads go on in rounds of {@link #HOT_READS} until this long has passed: steady state. */
  private static final long STEADY_AFTER_NANOS = 3_000_000_000L;
  /** Rounds of {@link #HOT_READS} measured after that; the median is reported. */
  private static final int STEADY_ROUNDS = 5;

  public static void main(String[] args) {
    try (RedisHandle redis = RedisServers.start();
        RespClient server = redis.endpoint().connect();
        JedisPooled jedis = new JedisPooled(redis.endpoint().host(), redis.endpoint().port())) {
      System.out.println("Redis: " + redis.description());
      for (int i = 0; i < PRODUCTS; i++) {
        jedis.set("product:" + i, "{\"id\":" + i + ",\"name\":\"product " + i + "\"}");
        jedis.set("stock:" + i, Integer.toString(i % 17));
      }
      server.resetStats();

      long coldNanos = timeGets(jedis, "product:", PRODUCTS, new Random(1), false);
      long hotNanos = timeGets(jedis, "product:", HOT_READS, new Random(2), true);
      // The same reads again until the JIT has compiled the client's and the agent's code: what a
      // service that has been up for a while pays per hit.
      int steadyRounds = 0;
      long warmUntil = System.nanoTime() + STEADY_AFTER_NANOS;
      do {
        timeGets(jedis, "product:", HOT_READS, new Random(4 + steadyRounds), true);
        steadyRounds++;
      } while (System.nanoTime() < warmUntil);
      // Then the median of a few rounds, so one round slowed by another process does not decide.
      long[] rounds = new long[STEADY_ROUNDS];
      for (int i = 0; i < STEADY_ROUNDS; i++) {
        rounds[i] = timeGets(jedis, "product:", HOT_READS, new Random(100 + i), true);
      }
      steadyRounds += STEADY_ROUNDS;
      java.util.Arrays.sort(rounds);
      long steadyNanos = rounds[STEADY_ROUNDS / 2];
      long bypassNanos = timeGets(jedis, "stock:", BYPASSED_READS, new Random(3), true);

      jedis.set("product:7", "{\"id\":7,\"name\":\"renamed\"}");
      String readBack = jedis.get("product:7");

      long appGets = PRODUCTS + HOT_READS + (long) steadyRounds * HOT_READS + BYPASSED_READS + 1;
      long serverGets = server.commandCalls("get");
      System.out.println();
      System.out.printf("agent attached:        %s%n", agentActive());
      System.out.printf("GETs by the app:       %,d%n", appGets);
      System.out.printf("GETs that hit Redis:   %,d%n", serverGets);
      System.out.printf("hit rate:              %.1f%%%n", 100.0 * (appGets - serverGets) / appGets);
      System.out.printf("first read (miss):     %,8.0f ns per GET%n", (double) coldNanos / PRODUCTS);
      System.out.printf("hot reads (hits):      %,8.0f ns per GET   (the first %,d, JVM still cold)%n", (double) hotNanos / HOT_READS, HOT_READS);
      System.out.printf("steady state (hits):   %,8.0f ns per GET   (median of %d rounds of %,d, after %.0f s of hits)%n",
          (double) steadyNanos / HOT_READS, STEADY_ROUNDS, HOT_READS, STEADY_AFTER_NANOS / 1e9);
      System.out.printf("bypassed prefix:       %,8.0f ns per GET%n", (double) bypassNanos / BYPASSED_READS);
      System.out.printf("read after own write:  %s%n", readBack.contains("renamed") ? "new value" : "STALE: " + readBack);
    }
  }

  /**
   * Total nanoseconds for {@code n} GETs: of keys 0..n-1 in order, or of a hot 5% at random. The
   * key names are made before the clock starts, so only the GETs are timed.
   */
  private static long timeGets(JedisPooled jedis, String prefix, int n, Random random, boolean hot) {
    String[] keys = new String[PRODUCTS];
    for (int i = 0; i < PRODUCTS; i++) {
      keys[i] = prefix + i;
    }
    int[] ids = new int[n];
    for (int i = 0; i < n; i++) {
      ids[i] = hot ? random.nextInt(PRODUCTS / 20) : i % PRODUCTS;
    }
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      if (jedis.get(keys[ids[i]]) == null) {
        throw new IllegalStateException("missing " + keys[ids[i]]);
      }
    }
    return System.nanoTime() - start;
  }

  private static boolean agentActive() {
    try {
      Class<?> runtime = Class.forName("io.redisl1.store.L1Runtime", false, null);
      return runtime.getMethod("current").invoke(null) != null;
    } catch (ReflectiveOperationException e) {
      return false;
    }
  }
}
