package io.redisl1.samples;

import io.redisl1.testsupport.RedisHandle;
import io.redisl1.testsupport.RedisServers;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.JedisPooled;

/**
 * A few minutes of service-like Redis traffic in phases, to feed the dashboard picture
 * (deploy/grafana/render): steady reads of a hot product catalogue and of user profiles, a burst of
 * product updates, then a catalogue larger than the L1's budget. Paced so the run looks the same
 * on a busy machine. Nothing in it knows of the agent.
 *
 * <p>Usage: {@code JedisDashboardLoad [seconds]} (default 300); prints one line per phase.
 */
public final class JedisDashboardLoad {
  private static final int PRODUCTS = 20_000;
  private static final int USERS = 2_000;
  private static final int READS_PER_SECOND = 4_000;

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    try (RedisHandle redis = RedisServers.start();
        JedisPooled jedis = new JedisPooled(redis.endpoint().host(), redis.endpoint().port())) {
      System.out.println("Redis: " + redis.description());
      String padding = "x".repeat(200);
      for (int i = 0; i < PRODUCTS; i++) {
        jedis.set("product:" + i, "{\"id\":" + i + ",\"name\":\"product " + i + "\",\"about\":\"" + padding + "\"}");
        jedis.set("stock:" + i, Integer.toString(i % 17));
      }
      for (int i = 0; i < USERS; i++) {
        jedis.set("user:" + i, "{\"id\":" + i + "}");
      }
      Random random = new Random(42);
      long start = System.nanoTime();
      String phase = "";
      for (long tick = 0; ; tick++) {
        double t = (System.nanoTime() - start) / 1e9;
        if (t >= seconds) {
          break;
        }
        // Phases by fraction of the run: steady, write burst, steady, catalogue outgrows the L1.
        double f = t / seconds;
        String now = f < 0.3 ? "steady" : f < 0.45 ? "write burst" : f < 0.65 ? "steady" : "large catalogue";
        if (!now.equals(phase)) {
          phase = now;
          System.out.printf("%6.1fs  %s%n", t, phase);
        }
        int hotProducts = now.equals("large catalogue") ? PRODUCTS : 1_000;
        int writesPerTick = now.equals("write burst") ? 10 : 1;
        for (int i = 0; i < READS_PER_SECOND / 100; i++) {
          int r = random.nextInt(100);
          if (r < 70) {
            jedis.get("product:" + skewed(random, hotProducts));
          } else if (r < 90) {
            jedis.get("user:" + skewed(random, USERS));
          } else {
            jedis.get("stock:" + random.nextInt(PRODUCTS));
          }
        }
        for (int i = 0; i < writesPerTick; i++) {
          int id = skewed(random, 1_000);
          jedis.set("product:" + id, "{\"id\":" + id + ",\"name\":\"product " + id + " v" + tick + "\",\"about\":\"" + padding + "\"}");
        }
        long next = start + TimeUnit.MILLISECONDS.toNanos(10 * (tick + 1));
        long sleep = next - System.nanoTime();
        if (sleep > 0) {
          TimeUnit.NANOSECONDS.sleep(sleep);
        }
      }
      System.out.println("done");
    }
  }

  /** Mostly low ids: a few keys are hot, as in most services. */
  private static int skewed(Random random, int n) {
    double u = random.nextDouble();
    return (int) (n * u * u * u);
  }
}
