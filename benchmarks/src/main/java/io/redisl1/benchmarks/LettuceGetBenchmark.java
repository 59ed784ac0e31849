package io.redisl1.benchmarks;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
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

/**
 * {@code GET} of one hot key through one Lettuce connection, in each API style. {@link
 * BenchmarkMain} runs it forked under the agent (every call after the first is an L1 hit, completed
 * inside dispatch on the caller's thread) and forked without it (a round trip to Redis on loopback,
 * the reply completed on a Netty event loop thread).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class LettuceGetBenchmark {
  private RedisForBenchmark redis;
  private RedisClient client;
  private StatefulRedisConnection<String, String> connection;
  private RedisCommands<String, String> sync;
  private RedisAsyncCommands<String, String> async;
  private RedisReactiveCommands<String, String> reactive;
  private long calls;

  @Setup(Level.Trial)
  public void start() {
    redis = new RedisForBenchmark();
    client = RedisClient.create(RedisURI.create(redis.host(), redis.port()));
    connection = client.connect();
    sync = connection.sync();
    async = connection.async();
    reactive = connection.reactive();
  }

  @Benchmark
  public String lettuceSyncGet() {
    calls++;
    return sync.get(RedisForBenchmark.KEY);
  }

  @Benchmark
  public String lettuceAsyncGet() throws Exception {
    calls++;
    return async.get(RedisForBenchmark.KEY).get();
  }

  @Benchmark
  public String lettuceReactiveGet() {
    calls++;
    return reactive.get(RedisForBenchmark.KEY).block();
  }

  @TearDown(Level.Trial)
  public void stop() {
    System.out.printf("%n[check] %,d GETs by the benchmark, %,d reached Redis%n", calls, redis.serverGets());
    connection.close();
    client.shutdown();
    redis.close();
  }
}
