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
import org.redisson.api.RBucket;
import org.redisson.api.RClientSideCaching;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.ClientSideCachingOptions;
import org.redisson.client.codec.StringCodec;

/**
 * Redisson's {@code RClientSideCaching}: a bucket (a plain Redis string) read through a local cache
 * kept coherent by RESP3 {@code CLIENT TRACKING}. Every call after the first is served locally. Run
 * without the agent.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class RedissonClientSideCachingBenchmark {
  private RedisForBenchmark redis;
  private RedissonClient redisson;
  private RClientSideCaching caching;
  private RBucket<String> bucket;
  private long calls;

  @Setup(Level.Trial)
  public void start() {
    redis = new RedisForBenchmark();
    redisson = RedissonForBenchmark.connect(redis, true);
    caching = redisson.getClientSideCaching(ClientSideCachingOptions.defaults().size(10_000));
    bucket = caching.getBucket(RedisForBenchmark.KEY, StringCodec.INSTANCE);
  }

  @Benchmark
  public String redissonClientSideCachingGet() {
    calls++;
    return bucket.get();
  }

  @TearDown(Level.Trial)
  public void stop() {
    Check.print(calls, redis, "get");
    caching.destroy();
    redisson.shutdown();
    redis.close();
  }
}
