package io.redisl1.benchmarks;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.support.caching.CacheAccessor;
import io.lettuce.core.support.caching.CacheFrontend;
import io.lettuce.core.support.caching.ClientSideCaching;
import java.util.concurrent.ConcurrentHashMap;
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

/**
 * Lettuce's own client-side caching ({@code io.lettuce.core.support.caching}): a {@link
 * CacheFrontend} over a map, kept coherent by RESP3 {@code CLIENT TRACKING} on the connection.
 * Every call after the first is served from the map. Run without the agent.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class LettuceClientSideCachingBenchmark {
  private RedisForBenchmark redis;
  private RedisClient client;
  private StatefulRedisConnection<String, String> connection;
  private CacheFrontend<String, String> frontend;
  private long calls;

  @Setup(Level.Trial)
  public void start() {
    redis = new RedisForBenchmark();
    client = RedisClient.create(RedisURI.create(redis.host(), redis.port()));
    connection = client.connect();
    frontend =
        ClientSideCaching.enable(
            CacheAccessor.forMap(new ConcurrentHashMap<>()), connection, TrackingArgs.Builder.enabled());
  }

  @Benchmark
  public String lettuceClientSideCachingGet() {
    calls++;
    return frontend.get(RedisForBenchmark.KEY);
  }

  @TearDown(Level.Trial)
  public void stop() {
    Check.print(calls, redis, "get");
    frontend.close();
    connection.close();
    client.shutdown();
    redis.close();
  }
}
