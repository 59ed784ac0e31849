package io.redisl1.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.redisson.api.RLocalCachedMap;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.LocalCachedMapOptions;
import org.redisson.client.codec.StringCodec;

/**
 * Redisson's {@code RLocalCachedMap}: a Redis hash with a local copy kept coherent over pub/sub.
 * Redisson's own data model (a hash field, not a plain key), so an app moves to it by changing
 * code. Every call after the put is served locally. Run without the agent.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class RedissonLocalCachedMapBenchmark {
  private RedisForBenchmark redis;
  private RedissonClient redisson;
  private RLocalCachedMap<String, String> map;
  private long calls;

  @Setup(Level.Trial)
  public void start() {
    redis = new RedisForBenchmark();
    redisson = RedissonForBenchmark.connect(redis, false);
    map =
        redisson.getLocalCachedMap(
            LocalCachedMapOptions.<String, String>name("bench:map").codec(StringCodec.INSTANCE));
    map.fastPut(RedisForBenchmark.KEY, RedisForBenchmark.VALUE);
    redis.observer.resetStats();
  }

  @Benchmark
  public String redissonLocalCachedMapGet() {
    calls++;
    return map.get(RedisForBenchmark.KEY);
  }

  @TearDown(Level.Trial)
  public void stop() {
    Check.print(calls, redis, "hget");
    redisson.shutdown();
    redis.close();
  }
}
