package io.redisl1.benchmarks;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The lowest floor: a bare map lookup of the same key, no bound, no expiry, no statistics. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class ConcurrentHashMapGetBenchmark {
  private final ConcurrentHashMap<String, String> map = new ConcurrentHashMap<>();
  private String key;

  @Setup
  public void fill() {
    key = RedisForBenchmark.KEY;
    map.put(key, RedisForBenchmark.VALUE);
  }

  @Benchmark
  public String concurrentHashMapGet() {
    return map.get(key);
  }
}
