package io.redisl1.benchmarks.startup;

import java.lang.management.ManagementFactory;

/**
 * The forked program whose start-up is timed: prints {@code MAIN} the moment main runs, then loads
 * and builds a {@code Jedis} (no connection), which under the agent is when the client's classes
 * are transformed, and prints {@code JEDIS} with the nanoseconds that took and the JVM's own uptime
 * at main.
 */
public final class StartupProbe {
  public static void main(String[] args) throws Exception {
    long uptimeAtMain = ManagementFactory.getRuntimeMXBean().getUptime();
    System.out.println("MAIN");
    System.out.flush();
    long t0 = System.nanoTime();
    Object jedis = Class.forName("redis.clients.jedis.Jedis").getConstructor(String.class, int.class)
        .newInstance("127.0.0.1", 1);
    long took = System.nanoTime() - t0;
    System.out.println("JEDIS nanos=" + took + " uptimeAtMainMillis=" + uptimeAtMain + " " + jedis.getClass().getSimpleName());
    System.out.flush();
    System.exit(0);
  }
}
