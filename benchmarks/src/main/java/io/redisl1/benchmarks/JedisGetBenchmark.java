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
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.CommandObjects;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPooled;

/**
 * {@code GET} of one hot key through {@code Jedis}, {@code JedisPooled} and a {@code JedisPool}
 * borrow-get-return (the application's own {@code getResource()} and {@code close()}). {@link BenchmarkMain}
 * runs it twice in one go: forked under the agent (every call after the first is an L1 hit) and
 * forked without it (every call is a round trip to Redis on loopback).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class JedisGetBenchmark {
  private RedisForBenchmark redis;
  private Jedis jedis;
  private JedisPooled pooled;
  private JedisPool pool;
  private final CommandObjects commands = new CommandObjects();
  private long calls;

  @Setup(Level.Trial)
  public void start() {
    redis = new RedisForBenchmark();
    jedis = new Jedis(redis.host(), redis.port());
    pooled = new JedisPooled(redis.host(), redis.port());
    pool = new JedisPool(redis.host(), redis.port());
  }

  @Benchmark
  public String jedisGet() {
    calls++;
    return jedis.get(RedisForBenchmark.KEY);
  }

  @Benchmark
  public String jedisPooledGet() {
    calls++;
    return pooled.get(RedisForBenchmark.KEY);
  }

  @Benchmark
  public String jedisPoolGet() {
    calls++;
    try (Jedis borrowed = pool.getResource()) {
      return borrowed.get(RedisForBenchmark.KEY);
    }
  }

  /**
   * Jedis's own share of a {@code Jedis.get} hit, no agent involved: building the GET's command
   * object (arguments, the key's bytes, the reply builder), which {@code Jedis.get} does before the
   * connection sees the command.
   */
  @Benchmark
  public CommandObject<String> jedisCommandOnly() {
    return commands.get(RedisForBenchmark.KEY);
  }

  /**
   * What a {@code JedisPool} application pays before and after any GET, no agent involved:
   * commons-pool's borrow and return of an idle connection (no validation, so no I/O). The agent
   * cannot answer before the borrow: the application borrows before it says what it will send.
   */
  @Benchmark
  public Jedis jedisPoolBorrowOnly() {
    try (Jedis borrowed = pool.getResource()) {
      return borrowed;
    }
  }

  @TearDown(Level.Trial)
  public void stop() {
    System.out.printf("%n[check] %,d GETs by the benchmark, %,d reached Redis%n", calls, redis.serverGets());
    jedis.close();
    pooled.close();
    pool.close();
    redis.close();
  }
}
