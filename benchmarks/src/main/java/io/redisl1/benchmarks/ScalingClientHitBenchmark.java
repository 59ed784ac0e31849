package io.redisl1.benchmarks;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
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
import redis.clients.jedis.JedisPooled;

/**
 * L1 hits through the clients from many threads, for {@link ScalingMain} to set beside {@link
 * SharedHitBenchmark}'s store lookup and Caffeine at the same thread count: run forked under the
 * agent only. Each call reads one of the same keys as there ({@link SharedHitBenchmark#KEYS}),
 * chosen at random, so threads share entries as an application's do, not one hot key.
 *
 * <p>Each client is set up the way applications use it: a {@code Jedis} per thread (it is not
 * thread-safe), one {@code JedisPooled} for all threads and, to tell the pool's shared part from
 * the rest, one per thread, and one Lettuce connection for all threads (it is thread-safe). Each
 * client reads every key before the first measured call, so every measured call is a hit; the
 * server's GET count after that pre-read, printed at the end, shows it ({@code [check]}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ScalingClientHitBenchmark {
  private static final String[] NAMES = new String[SharedHitBenchmark.KEYS];

  static {
    for (int i = 0; i < NAMES.length; i++) {
      NAMES[i] = SharedHitBenchmark.name(i);
    }
  }

  /** One Redis for the fork, holding the keys; counts the GETs that reach it. */
  @State(Scope.Benchmark)
  public static class Server {
    /** Passes over the keys a client's pre-read makes at most. */
    static final int PRE_READ_PASSES = 4;

    RedisForBenchmark redis;
    /** The server's GET count once a client finished its pre-read; the highest is the last one. */
    private final AtomicLong getsAfterPreRead = new AtomicLong();

    @Setup(Level.Trial)
    public void start() {
      redis = new RedisForBenchmark();
      for (String name : NAMES) {
        redis.observer.call("SET", name, RedisForBenchmark.VALUE);
      }
      redis.observer.resetStats();
    }

    /**
     * Reads every key through {@code get} until a whole pass reaches Redis with no GET (at most
     * {@value #PRE_READ_PASSES} passes), so the L1 holds them all before anything is measured. One
     * pass is not always enough: a new {@code Jedis} connects on its first command, and that first
     * GET is not cached.
     */
    void preRead(UnaryOperator<String> get) {
      long gets = redis.serverGets();
      for (int pass = 0; pass < PRE_READ_PASSES; pass++) {
        for (String name : NAMES) {
          String value = get.apply(name);
          if (!RedisForBenchmark.VALUE.equals(value)) {
            throw new IllegalStateException("pre-read of " + name + " returned " + value);
          }
        }
        long before = gets;
        gets = redis.serverGets();
        if (gets == before) {
          break; // (another thread's pre-read may make this pass look like it missed: one more)
        }
      }
      // Counts only grow, and each client reads this after its own pre-read: the largest is the
      // count once every pre-read was done.
      getsAfterPreRead.accumulateAndGet(gets, Math::max);
    }

    @TearDown(Level.Trial)
    public void stop() {
      long preRead = getsAfterPreRead.get();
      System.out.printf("%n[check] %,d GETs reached Redis during the pre-read of %,d keys, %,d after it%n",
          preRead, NAMES.length, redis.serverGets() - preRead);
      redis.close();
    }
  }

  /** A {@code Jedis} per thread. */
  @State(Scope.Thread)
  public static class OwnJedis {
    Jedis jedis;

    @Setup(Level.Trial)
    public void open(Server server) {
      jedis = new Jedis(server.redis.host(), server.redis.port());
      server.preRead(jedis::get);
    }

    @TearDown(Level.Trial)
    public void close() {
      jedis.close();
    }
  }

  /** One {@code JedisPooled} shared by all threads, as applications hold one. */
  @State(Scope.Benchmark)
  public static class SharedPooled {
    JedisPooled pooled;

    @Setup(Level.Trial)
    public void open(Server server) {
      pooled = new JedisPooled(server.redis.host(), server.redis.port());
      server.preRead(pooled::get);
    }

    @TearDown(Level.Trial)
    public void close() {
      pooled.close();
    }
  }

  /** A {@code JedisPooled} per thread: the pooled hit path with nothing of the pool shared. */
  @State(Scope.Thread)
  public static class OwnPooled extends SharedPooled {}

  /** One Lettuce connection shared by all threads. */
  @State(Scope.Benchmark)
  public static class SharedLettuce {
    RedisClient client;
    StatefulRedisConnection<String, String> connection;
    RedisCommands<String, String> sync;

    @Setup(Level.Trial)
    public void open(Server server) {
      client = RedisClient.create(RedisURI.create(server.redis.host(), server.redis.port()));
      connection = client.connect();
      sync = connection.sync();
      server.preRead(sync::get);
    }

    @TearDown(Level.Trial)
    public void close() {
      connection.close();
      client.shutdown();
    }
  }

  private static String anyKey() {
    return NAMES[ThreadLocalRandom.current().nextInt(NAMES.length)];
  }

  @Benchmark
  public String jedisGetPerThread(OwnJedis own) {
    return own.jedis.get(anyKey());
  }

  @Benchmark
  public String jedisPooledGetShared(SharedPooled shared) {
    return shared.pooled.get(anyKey());
  }

  @Benchmark
  public String jedisPooledGetPerThread(OwnPooled own) {
    return own.pooled.get(anyKey());
  }

  @Benchmark
  public String lettuceSyncGetShared(SharedLettuce shared) {
    return shared.sync.get(anyKey());
  }
}
