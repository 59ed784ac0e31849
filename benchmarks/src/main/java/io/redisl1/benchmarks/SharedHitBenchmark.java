package io.redisl1.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.redisl1.store.L1Entry;
import io.redisl1.store.L1Runtime;
import io.redisl1.store.session.RedisSession;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.CommandObjects;

/**
 * Hits from many threads on one shared cache: the agent's share of a hit (one store, one session
 * per thread as each thread has its own connection) against an application's own Caffeine cache
 * of the same keys. Whatever the threads share on the hit path (counters, the clock, the endpoint's
 * lease) shows as hits that scale worse than Caffeine's as threads are added. Beside them, no
 * agent involved, Jedis building a GET's command on each thread ({@link #jedisCommandOnly}): how
 * the client's own work scales, allocation included.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class SharedHitBenchmark {
  /** Keys read, one at random per call; {@code -Dbench.keys} in the fork (default 1,024). */
  static final int KEYS = Integer.getInteger("bench.keys", 1024);

  private L1Runtime runtime;
  private Cache<String, String> caffeine;
  private final byte[][] keys = new byte[KEYS][];
  private final String[] names = new String[KEYS];

  @Setup
  public void fill() {
    runtime = StoreForBenchmark.start();
    caffeine = Caffeine.newBuilder().maximumSize(Math.max(10_000, 2L * KEYS)).expireAfterWrite(1, TimeUnit.HOURS).build();
    RedisSession filler = new RedisSession("127.0.0.1:6379", 0);
    byte[] value = RedisForBenchmark.VALUE.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < KEYS; i++) {
      names[i] = name(i);
      keys[i] = names[i].getBytes(StandardCharsets.UTF_8);
      caffeine.put(names[i], RedisForBenchmark.VALUE);
      StoreForBenchmark.fill(runtime, filler, keys[i], value);
    }
  }

  /** Each thread's own connection. */
  @State(Scope.Thread)
  public static class Connection {
    RedisSession session;

    @Setup
    public void open() {
      session = new RedisSession("127.0.0.1:6379", 0);
    }
  }

  /** Each thread's own Jedis command builder, as each {@code Jedis} or pool has its own. */
  @State(Scope.Thread)
  public static class Client {
    final CommandObjects commands = new CommandObjects();
  }

  @Benchmark
  public L1Entry sharedSessionLookup(Connection connection) {
    return connection.session.lookup(runtime, keys[ThreadLocalRandom.current().nextInt(KEYS)]);
  }

  @Benchmark
  public String sharedCaffeineGetIfPresent() {
    return caffeine.getIfPresent(names[ThreadLocalRandom.current().nextInt(KEYS)]);
  }

  /**
   * What Jedis does for a GET before any connection sees it, no agent: the command object (its
   * arguments, the key's bytes, the reply builder), as {@code BenchmarkMain}'s {@code
   * jedisCommandOnly}, over the same keys.
   */
  @Benchmark
  public CommandObject<String> jedisCommandOnly(Client client) {
    return client.commands.get(names[ThreadLocalRandom.current().nextInt(KEYS)]);
  }

  static String name(int i) {
    return "bench:" + i;
  }
}
