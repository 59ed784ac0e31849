package io.redisl1.it.tracking;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import redis.clients.jedis.Jedis;

/**
 * One application JVM of the consistency check ({@link ConsistencyCheckTest}): a Jedis and a
 * Lettuce thread read random hot keys for a while and record each read as key, value, and the
 * wall-clock microseconds it began and ended (the clock all processes on the machine share).
 *
 * <p>Args: "read", host, port, duration in ms, output file, key count.
 *
 * <p>Prints {@code errors=} the exceptions that no connection failure explains (there must be
 * none), and {@code outage.errors}, {@code outage.first}, {@code outage.last}: the connection
 * failures a restarting server causes without any agent, with the microseconds of the first and
 * last, so the test can check they all fall inside the outage it made.
 */
public final class ConsistencyReader {
  private static final int MAX_READS_PER_THREAD = 400_000;

  public static void main(String[] args) throws Exception {
    String host = args[1];
    int port = Integer.parseInt(args[2]);
    long durationMillis = Long.parseLong(args[3]);
    Path out = Path.of(args[4]);
    int keys = Integer.parseInt(args[5]);
    Map<String, Integer> errors = new ConcurrentHashMap<>();
    RedisClient lettuce = RedisClient.create(RedisURI.create(host, port));
    Jedis[] jedis = {new Jedis(host, port, 10_000)};
    try (StatefulRedisConnection<String, String> connection = lettuce.connect()) {
      // Both clients connected and served once: the test starts its faults only after this.
      jedis[0].get("user:c:0");
      connection.sync().get("user:c:0");
      Files.writeString(Path.of(args[4] + ".ready"), "");
      long end = System.nanoTime() + durationMillis * 1_000_000;
      List<Thread> threads = new ArrayList<>();
      List<StringBuilder> logs = new ArrayList<>();
      for (String client : List.of("jedis", "lettuce")) {
        // A Jedis whose connection broke stays broken: the app would take a new one, as a pool does.
        Function<String, String> get = client.equals("jedis")
            ? k -> {
              if (jedis[0].isBroken()) {
                jedis[0].close();
                jedis[0] = new Jedis(host, port, 10_000);
              }
              return jedis[0].get(k);
            }
            : k -> connection.sync().get(k);
        StringBuilder log = new StringBuilder();
        logs.add(log);
        Thread t = new Thread(() -> read(get, keys, end, log, errors, client), "reader-" + client);
        threads.add(t);
        t.start();
      }
      for (Thread t : threads) {
        t.join();
      }
      try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
        for (StringBuilder log : logs) {
          w.append(log);
        }
      }
    } finally {
      jedis[0].close();
      lettuce.shutdown();
    }
    System.out.println("errors=" + errors);
    System.out.println("outage.errors=" + outageErrors);
    System.out.println("outage.first=" + outageFirst);
    System.out.println("outage.last=" + outageLast);
  }

  private static int outageErrors;
  private static long outageFirst;
  private static long outageLast;

  private static synchronized void outage(long micros) {
    outageErrors++;
    outageFirst = outageFirst == 0 ? micros : outageFirst;
    outageLast = micros;
  }

  /**
   * A failure of the connection itself, as a server going away causes; the test checks that these
   * happen only while it restarts the server.
   */
  private static boolean connectionFailure(RuntimeException e) {
    String type = e.getClass().getName();
    return type.equals("redis.clients.jedis.exceptions.JedisConnectionException")
        || type.equals("io.lettuce.core.RedisConnectionException")
        || (type.equals("io.lettuce.core.RedisException") && String.valueOf(e.getMessage()).contains("Connection"));
  }

  private static void read(
      Function<String, String> get, int keys, long end, StringBuilder log, Map<String, Integer> errors, String client) {
    Random random = new Random();
    int reads = 0;
    long began = System.nanoTime();
    long duration = end - began;
    while (System.nanoTime() < end && reads < MAX_READS_PER_THREAD) {
      // Spread the read budget over the whole run: hits are fast enough to spend it in a second
      // on an idle machine, and the faults come later.
      long now = System.nanoTime();
      if (reads > (double) MAX_READS_PER_THREAD * (now - began) / duration) {
        java.util.concurrent.locks.LockSupport.parkNanos(50_000);
        continue;
      }
      String key = "user:c:" + random.nextInt(keys);
      long start = micros();
      String value;
      try {
        value = get.apply(key);
      } catch (RuntimeException e) {
        if (connectionFailure(e)) {
          outage(micros());
        } else {
          errors.merge(client + " " + e.getClass().getName() + ": " + e.getMessage(), 1, Integer::sum);
        }
        continue;
      }
      long done = micros();
      log.append(key).append(' ').append(value == null ? "-" : value).append(' ').append(start).append(' ')
          .append(done).append(' ').append(client).append('\n');
      reads++;
    }
    System.out.println("reads." + client + "=" + reads);
  }

  static long micros() {
    return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
  }
}
