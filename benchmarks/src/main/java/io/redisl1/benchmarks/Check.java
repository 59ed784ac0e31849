package io.redisl1.benchmarks;

/**
 * The line each alternative's fork prints at the end, read back by {@link AlternativesMain}: how
 * many calls the benchmark made and how many of the reading command reached Redis, so a row that
 * measured round trips cannot pass for cache hits.
 */
final class Check {
  private Check() {}

  static void print(long calls, RedisForBenchmark redis, String command) {
    System.out.printf(
        "%n[check] %,d GETs by the benchmark, %,d %s reached Redis%n",
        calls, redis.observer.commandCalls(command), command.toUpperCase(java.util.Locale.ROOT));
  }
}
