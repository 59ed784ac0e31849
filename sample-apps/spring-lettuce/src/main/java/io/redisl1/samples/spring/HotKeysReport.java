package io.redisl1.samples.spring;

import io.lettuce.core.RedisClient;
import io.redisl1.testsupport.RespClient;
import java.util.Random;
import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.SpringBootVersion;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.data.redis.RedisProperties;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ValueOperations;
import org.springframework.stereotype.Component;

/**
 * Writes some products, reads a hot few many times through {@code StringRedisTemplate}, and prints
 * the same report as the Jedis sample. The hit rate is measured at the server, from how many GETs
 * reached it, not taken from the agent.
 */
@Component
class HotKeysReport implements CommandLineRunner {
  private static final int PRODUCTS = 1_000;
  private static final int HOT_READS = 200_000;
  private static final int BYPASSED_READS = 20_000;

  /** Between reports when the sample runs as a long-lived service (deploy/kubernetes/example). */
  private static final long REPORT_PERIOD_MILLIS = 30_000;

  private final StringRedisTemplate redis;
  private final RedisProperties properties;
  private final boolean keepRunning;

  HotKeysReport(
      StringRedisTemplate redis,
      RedisProperties properties,
      @Value("${sample.keep-running:false}") boolean keepRunning) {
    this.redis = redis;
    this.properties = properties;
    this.keepRunning = keepRunning;
  }

  @Override
  public void run(String... args) throws InterruptedException {
    report();
    while (keepRunning) { // env SAMPLE_KEEP_RUNNING=true: a Deployment's pod must not exit
      Thread.sleep(REPORT_PERIOD_MILLIS);
      report();
    }
  }

  private void report() {
    System.out.printf(
        "client: StringRedisTemplate on %s, Lettuce %s, Spring Boot %s%n",
        redis.getRequiredConnectionFactory().getClass().getSimpleName(),
        RedisClient.class.getPackage().getImplementationVersion(),
        SpringBootVersion.getVersion());
    ValueOperations<String, String> values = redis.opsForValue();
    try (RespClient server = new RespClient(properties.getHost(), properties.getPort())) {
      for (int i = 0; i < PRODUCTS; i++) {
        values.set("product:" + i, "{\"id\":" + i + ",\"name\":\"product " + i + "\"}");
        values.set("stock:" + i, Integer.toString(i % 17));
      }
      server.resetStats();

      long coldNanos = timeGets(values, "product:", PRODUCTS, new Random(1), false);
      long hotNanos = timeGets(values, "product:", HOT_READS, new Random(2), true);
      long bypassNanos = timeGets(values, "stock:", BYPASSED_READS, new Random(3), true);

      values.set("product:7", "{\"id\":7,\"name\":\"renamed\"}");
      String readBack = values.get("product:7");

      long appGets = PRODUCTS + HOT_READS + BYPASSED_READS + 1;
      long serverGets = server.commandCalls("get");
      System.out.println();
      System.out.printf("agent attached:        %s%n", agentActive());
      System.out.printf("GETs by the app:       %,d%n", appGets);
      System.out.printf("GETs that hit Redis:   %,d%n", serverGets);
      System.out.printf("hit rate:              %.1f%%%n", 100.0 * (appGets - serverGets) / appGets);
      System.out.printf("first read (miss):     %,8.0f ns per GET%n", (double) coldNanos / PRODUCTS);
      System.out.printf("hot reads (hits):      %,8.0f ns per GET%n", (double) hotNanos / HOT_READS);
      System.out.printf("bypassed prefix:       %,8.0f ns per GET%n", (double) bypassNanos / BYPASSED_READS);
      System.out.printf("read after own write:  %s%n", readBack.contains("renamed") ? "new value" : "STALE: " + readBack);
    }
  }

  /** Total nanoseconds for {@code n} GETs: of keys 0..n-1 in order, or of a hot 5% at random. */
  private static long timeGets(ValueOperations<String, String> values, String prefix, int n, Random random, boolean hot) {
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      int id = hot ? random.nextInt(PRODUCTS / 20) : i;
      if (values.get(prefix + id) == null) {
        throw new IllegalStateException("missing " + prefix + id);
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
