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
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.csc.DefaultCache;

/**
 * Jedis's own client-side cache ({@code redis.clients.jedis.csc}): a {@code JedisPooled} over RESP3
 * with {@code CLIENT TRACKING}, its cache answering every call after the first. Run without the
 * agent.
 *
 * <p>Jedis refuses servers older than Redis 7.4 unless the cache says {@link
 * DefaultCache#compatibilityMode()}; the embedded server here is 6.2, which has RESP3 and tracking
 * (the only things the cache uses), so the benchmark's cache turns that mode on. Nothing else about
 * the cache changes: the flag only skips the version check.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class JedisClientSideCacheBenchmark {
  private RedisForBenchmark redis;
  private JedisPooled pooled;
  private long calls;

  /** Jedis's default cache, accepted by a pre-7.4 server. */
  static final class CompatibleCache extends DefaultCache {
    CompatibleCache() {
      super(10_000);
    }

    @Override
    public boolean compatibilityMode() {
      return true;
    }
  }

  @Setup(Level.Trial)
  public void start() {
    redis = new RedisForBenchmark();
    pooled =
        new JedisPooled(
            new HostAndPort(redis.host(), redis.port()),
            DefaultJedisClientConfig.builder().resp3().build(),
            new CompatibleCache());
  }

  @Benchmark
  public String jedisClientSideCacheGet() {
    calls++;
    return pooled.get(RedisForBenchmark.KEY);
  }

  @TearDown(Level.Trial)
  public void stop() {
    Check.print(calls, redis, "get");
    pooled.close();
    redis.close();
  }
}
