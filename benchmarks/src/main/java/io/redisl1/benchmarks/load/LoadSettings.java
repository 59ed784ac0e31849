package io.redisl1.benchmarks.load;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The workload, from {@code -Dload.*} system properties, each with a bounded default. A bad value
 * fails with the property's name.
 */
record LoadSettings(
    int keys,
    double skew,
    double readRatio,
    int valueBytes,
    int threads,
    int warmupSeconds,
    int seconds,
    int delayMicros,
    List<Integer> scalingThreads,
    int scalingSeconds,
    String maxMemory) {

  static LoadSettings fromSystemProperties() {
    LoadSettings s =
        new LoadSettings(
            integer("load.keys", 100_000),
            decimal("load.skew", 0.99),
            decimal("load.reads", 0.9),
            integer("load.valueBytes", 100),
            integer("load.threads", 4),
            integer("load.warmup", 3),
            integer("load.seconds", 10),
            integer("load.delayMicros", 250),
            integers("load.scaling.threads", "1,2,4,8"),
            integer("load.scaling.seconds", 5),
            text("load.maxMemory", "64MB"));
    require(s.keys >= 1, "load.keys", s.keys);
    require(s.skew >= 0, "load.skew", s.skew);
    require(s.readRatio >= 0 && s.readRatio <= 1, "load.reads (a fraction of operations, 0..1)", s.readRatio);
    require(s.valueBytes >= 1, "load.valueBytes", s.valueBytes);
    require(s.threads >= 1, "load.threads", s.threads);
    require(s.warmupSeconds >= 0, "load.warmup", s.warmupSeconds);
    require(s.seconds >= 1, "load.seconds", s.seconds);
    require(s.delayMicros >= 0, "load.delayMicros", s.delayMicros);
    require(s.scalingSeconds >= 1, "load.scaling.seconds", s.scalingSeconds);
    return s;
  }

  String describe() {
    return String.format(
        Locale.ROOT,
        "%,d keys, Zipf skew %.2f, %.0f%% reads, %d-byte values, %d threads, %d s warm-up + %d s measured;"
            + " delayed network: +%d µs each way (+%d µs per round trip); agent max-memory %s",
        keys, skew, readRatio * 100, valueBytes, threads, warmupSeconds, seconds, delayMicros,
        2 * delayMicros, maxMemory);
  }

  private static void require(boolean ok, String property, Object value) {
    if (!ok) {
      throw new IllegalArgumentException("-D" + property + ": invalid value " + value);
    }
  }

  private static String text(String property, String fallback) {
    String v = System.getProperty(property, "").trim();
    return v.isEmpty() ? fallback : v;
  }

  private static int integer(String property, int fallback) {
    String v = text(property, Integer.toString(fallback));
    try {
      return Integer.parseInt(v.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("-D" + property + ": not a whole number: " + v, e);
    }
  }

  private static double decimal(String property, double fallback) {
    String v = text(property, Double.toString(fallback));
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("-D" + property + ": not a number: " + v, e);
    }
  }

  private static List<Integer> integers(String property, String fallback) {
    String v = text(property, fallback);
    try {
      return Arrays.stream(v.split(",")).map(String::trim).map(Integer::parseInt).collect(Collectors.toList());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("-D" + property + ": not a comma-separated list of thread counts: " + v, e);
    }
  }
}
