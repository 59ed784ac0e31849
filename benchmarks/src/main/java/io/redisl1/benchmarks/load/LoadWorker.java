package io.redisl1.benchmarks.load;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.redisl1.testsupport.RespClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;

/**
 * One forked load run: {@code threads} closed-loop callers, each issuing its next operation as soon
 * as the last one returned, over Zipf-chosen keys. Forked by {@link LoadMain} with or without the
 * agent; prints one {@code RESULT} line.
 *
 * <p>Usage: {@code LoadWorker redis <host> <port> <statsHost> <statsPort>} (a {@code JedisPooled}
 * at host:port, which may be a delaying proxy; the server's own counters are read at statsHost:
 * statsPort, around the measured window only), {@code LoadWorker jedis ...} (the same with one plain
 * {@code Jedis} per caller, no pool) or {@code LoadWorker caffeine} (the same reads
 * against a filled Caffeine cache, the floor for hits/s). Settings come from {@code -Dload.*}.
 */
public final class LoadWorker {
  private static final int WARMUP = 0;
  private static final int MEASURE = 1;
  private static final int STOP = 2;

  private static volatile int phase = WARMUP;

  /** What one caller does per operation: returns whether a read found a value. */
  private interface Operation {
    boolean run(String key, boolean read);
  }

  public static void main(String[] args) throws Exception {
    LoadSettings settings = LoadSettings.fromSystemProperties();
    String[] keys = LoadMain.keys(settings.keys());
    String value = LoadMain.value(settings.valueBytes());
    Zipf zipf = new Zipf(settings.keys(), settings.skew());

    JedisPooled pooled = null;
    RespClient stats = null;
    Supplier<Operation> operations; // one per caller thread
    List<Jedis> perThread = new ArrayList<>();
    if (args[0].equals("caffeine")) {
      Cache<String, String> cache = Caffeine.newBuilder().maximumSize(settings.keys()).build();
      for (String key : keys) {
        cache.put(key, value);
      }
      Operation operation = (key, read) -> read ? cache.getIfPresent(key) != null : put(cache, key, value);
      operations = () -> operation;
    } else if (args[0].equals("redis")) {
      GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
      pool.setMaxTotal(settings.threads());
      pool.setMaxIdle(settings.threads());
      JedisPooled jedis = new JedisPooled(pool, args[1], Integer.parseInt(args[2]));
      pooled = jedis;
      stats = new RespClient(args[3], Integer.parseInt(args[4]));
      Operation operation = (key, read) -> read ? jedis.get(key) != null : "OK".equals(jedis.set(key, value));
      operations = () -> operation;
      if (Boolean.getBoolean("load.prefill")) {
        // Scaling compares hits with Caffeine's, which starts full: read every key once first, so
        // under the agent the measured window holds hits, not the Zipf tail's first (cold) reads.
        for (String key : keys) {
          jedis.get(key);
        }
      }
    } else if (args[0].equals("jedis")) {
      // One plain Jedis per caller, no pool: the hit path without a pool's borrow and return.
      String host = args[1];
      int port = Integer.parseInt(args[2]);
      stats = new RespClient(args[3], Integer.parseInt(args[4]));
      if (Boolean.getBoolean("load.prefill")) {
        try (Jedis jedis = new Jedis(host, port)) {
          for (String key : keys) {
            jedis.get(key);
          }
        }
      }
      operations = () -> {
        Jedis jedis = new Jedis(host, port);
        synchronized (perThread) {
          perThread.add(jedis);
        }
        return (key, read) -> read ? jedis.get(key) != null : "OK".equals(jedis.set(key, value));
      };
    } else {
      throw new IllegalArgumentException("LoadWorker: mode must be 'redis', 'jedis' or 'caffeine', got " + args[0]);
    }

    List<Caller> callers = new ArrayList<>();
    for (int i = 0; i < settings.threads(); i++) {
      Caller caller = new Caller(operations.get(), keys, zipf, settings.readRatio());
      caller.setName("load-" + i);
      callers.add(caller);
      caller.start();
    }
    TimeUnit.SECONDS.sleep(settings.warmupSeconds());
    ServerCounters before = ServerCounters.read(stats);
    long start = System.nanoTime();
    phase = MEASURE;
    TimeUnit.SECONDS.sleep(settings.seconds());
    phase = STOP;
    long end = System.nanoTime();
    ServerCounters after = ServerCounters.read(stats);
    for (Caller caller : callers) {
      caller.join();
    }

    Histogram all = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
    long reads = 0;
    long found = 0;
    long writes = 0;
    long failures = 0;
    for (Caller caller : callers) {
      all.add(caller.latencies);
      reads += caller.reads;
      found += caller.found;
      writes += caller.writes;
      failures += caller.failures;
    }
    double seconds = (end - start) / 1e9;
    System.out.println(
        String.format(
            Locale.ROOT,
            "RESULT seconds=%.3f reads=%d found=%d writes=%d failures=%d p50=%d p99=%d p999=%d"
                + " serverGets=%d serverSets=%d serverCommands=%d",
            seconds, reads, found, writes, failures,
            all.getValueAtPercentile(50), all.getValueAtPercentile(99), all.getValueAtPercentile(99.9),
            // includes the three INFO calls that read the counters: noise against seconds of load
            after.gets - before.gets, after.sets - before.sets, after.commands - before.commands));
    if (pooled != null) {
      pooled.close();
    }
    perThread.forEach(Jedis::close);
    if (stats != null) {
      stats.close();
    }
    System.exit(0); // the agent's and client's non-daemon threads must not keep the fork alive
  }

  private static boolean put(Cache<String, String> cache, String key, String value) {
    cache.put(key, value);
    return true;
  }

  private static final class Caller extends Thread {
    final Histogram latencies = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
    final Operation operation;
    final String[] keys;
    final Zipf zipf;
    final double readRatio;
    long reads;
    long found;
    long writes;
    long failures;

    Caller(Operation operation, String[] keys, Zipf zipf, double readRatio) {
      this.operation = operation;
      this.keys = keys;
      this.zipf = zipf;
      this.readRatio = readRatio;
      setDaemon(true);
    }

    @Override
    public void run() {
      for (int p; (p = phase) != STOP; ) {
        String key = keys[zipf.next()];
        boolean read = readRatio >= 1 || ThreadLocalRandom.current().nextDouble() < readRatio;
        long t0 = System.nanoTime();
        boolean hit;
        try {
          hit = operation.run(key, read);
        } catch (RuntimeException e) {
          if (p == MEASURE) {
            failures++;
          }
          continue;
        }
        long took = System.nanoTime() - t0;
        if (p == MEASURE) {
          latencies.recordValue(Math.min(took, latencies.getHighestTrackableValue()));
          if (read) {
            reads++;
            if (hit) {
              found++;
            }
          } else {
            writes++;
          }
        }
      }
    }
  }

  /** Redis's own counts, read with a plain RESP client the agent does not touch. */
  private static final class ServerCounters {
    long gets;
    long sets;
    long commands;

    static ServerCounters read(RespClient stats) {
      ServerCounters c = new ServerCounters();
      if (stats == null) {
        return c;
      }
      c.gets = stats.commandCalls("get");
      c.sets = stats.commandCalls("set");
      for (String line : ((String) stats.call("INFO", "stats")).split("\r?\n")) {
        if (line.startsWith("total_commands_processed:")) {
          c.commands = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
        }
      }
      return c;
    }
  }
}
