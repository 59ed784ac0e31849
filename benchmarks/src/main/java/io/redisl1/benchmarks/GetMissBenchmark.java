package io.redisl1.benchmarks;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
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
import redis.clients.jedis.Jedis;

/**
 * A GET that misses the L1 every time: what the agent's PTTL behind a cacheable GET adds to the
 * round trip. The key is cached by a rule but expires in Redis sooner than the benchmark's
 * {@code ttl-margin}, so the agent sends GET and PTTL together, works out the lifetime when both
 * replies are in, and caches nothing: every call is a full miss. Without the agent the same call is
 * one plain GET. The {@code Uncached} pair GETs a key no rule caches, so under the agent they are
 * the same miss without the PTTL.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class GetMissBenchmark {
  private RedisForBenchmark redis;
  private Jedis jedis;
  private RedisClient client;
  private StatefulRedisConnection<String, String> connection;
  private RedisCommands<String, String> sync;
  private long calls;

  @Setup(Level.Trial)
  public void start() {
    redis = new RedisForBenchmark();
    jedis = new Jedis(redis.host(), redis.port());
    client = RedisClient.create(RedisURI.create(redis.host(), redis.port()));
    connection = client.connect();
    sync = connection.sync();
  }

  @Benchmark
  public String jedisGetMiss() {
    calls++;
    return jedis.get(RedisForBenchmark.MISS_KEY);
  }

  @Benchmark
  public String lettuceSyncGetMiss() {
    calls++;
    return sync.get(RedisForBenchmark.MISS_KEY);
  }

  /**
   * A key no rule caches: under the agent the same GET with the agent's dispatch bookkeeping but
   * no PTTL and no fill. Next to {@link #jedisGetMiss} in the same fork, it isolates what the PTTL
   * itself adds on a machine whose load drifts between the runs with and without the agent.
   */
  @Benchmark
  public String jedisGetUncachedMiss() {
    calls++;
    return jedis.get(RedisForBenchmark.UNCACHED_KEY);
  }

  /** As {@link #jedisGetUncachedMiss}, for Lettuce: compare with {@link #lettuceSyncGetMiss}. */
  @Benchmark
  public String lettuceSyncGetUncachedMiss() {
    calls++;
    return sync.get(RedisForBenchmark.UNCACHED_KEY);
  }

  @TearDown(Level.Trial)
  public void stop() {
    System.out.printf(
        "%n[check] %,d GETs by the benchmark, %,d reached Redis, %,d PTTLs%n",
        calls, redis.serverGets(), redis.observer.commandCalls("pttl"));
    jedis.close();
    connection.close();
    client.shutdown();
    redis.close();
  }
}
