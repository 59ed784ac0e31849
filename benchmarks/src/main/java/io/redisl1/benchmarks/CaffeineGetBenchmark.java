package io.redisl1.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The floor: what an application's own Caffeine lookup of the same key costs. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class CaffeineGetBenchmark {
  private Cache<String, String> cache;
  private String key;

  @Setup
  public void fill() {
    cache = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(1, TimeUnit.MINUTES).build();
    // A fresh String each lookup would measure hashing; Jedis callers usually pass literals too.
    key = RedisForBenchmark.KEY;
    cache.put(key, RedisForBenchmark.VALUE);
  }

  @Benchmark
  public String caffeineGetIfPresent() {
    return cache.getIfPresent(key);
  }
}
