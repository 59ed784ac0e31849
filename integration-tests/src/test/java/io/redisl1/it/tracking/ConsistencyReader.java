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
    try (Jedis jedis = new Jedis(host, port, 10_000);
        StatefulRedisConnection<String, String> connection = lettuce.connect()) {
      long end = System.nanoTime() + durationMillis * 1_000_000;
      List<Thread> threads = new ArrayList<>();
      List<StringBuilder> logs = new ArrayList<>();
      for (String client : List.of("jedis", "lettuce")) {
        Function<String, String> get = client.equals("jedis") ? jedis::get : k -> connection.sync().get(k);
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
      lettuce.shutdown();
    }
    System.out.println("errors=" + errors);
  }

  private static void read(
      Function<String, String> get, int keys, long end, StringBuilder log, Map<String, Integer> errors, String client) {
    Random random = new Random();
    int reads = 0;
    while (System.nanoTime() < end && reads < MAX_READS_PER_THREAD) {
      String key = "user:c:" + random.nextInt(keys);
      long start = micros();
      String value;
      try {
        value = get.apply(key);
      } catch (RuntimeException e) {
        errors.merge(client + " " + e.getClass().getName(), 1, Integer::sum);
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
