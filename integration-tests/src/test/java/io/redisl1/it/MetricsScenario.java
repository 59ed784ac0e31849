package io.redisl1.it;

import io.redisl1.testsupport.RespClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import redis.clients.jedis.Jedis;

/**
 * A Jedis workload whose every L1 outcome is known in advance, run under the agent with its
 * invalidation channel by {@link MetricsEndpointTest}: it waits for {@code /readyz}, reads, writes
 * through the application and from outside it, then scrapes its own agent's endpoint over HTTP, as
 * Prometheus would, and prints what it counted ({@code did.*}), what Redis counted ({@code
 * gets@server}) and what the endpoint said ({@code metrics|} lines, {@code healthz=}, {@code
 * readyz=}).
 *
 * <p>A GET after an outside write tells by its value whether the L1 answered it (the old value) or
 * Redis did (the new one), so those reads are counted exactly whenever the invalidation arrives.
 */
public final class MetricsScenario {
  static final int KEYS = 100;
  static final int HIT_ROUNDS = 5;
  static final int REWRITTEN = 10;
  static final int TOO_LARGE_READS = 2;
  /** Cached keys written from outside the JVM, seen only through the invalidation channel. */
  static final int OUTSIDE_WRITES = 5;

  public static void main(String[] args) throws Exception {
    String host = args[1];
    int port = Integer.parseInt(args[2]);
    long misses = 0, hits = 0, writes = 0, tooLarge = 0;
    String base = "http://127.0.0.1:" + System.getProperty("redisl1.metrics.port");
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    try (RespClient server = new RespClient(host, port); Jedis jedis = new Jedis(host, port)) {
      server.flushAll();
      for (int i = 0; i < KEYS; i++) {
        server.call("SET", "user:" + i, "value-" + i);
      }
      server.call("SET", "user:big", "x".repeat(2048));
      server.call("SET", "session:1", "s");
      server.call("SET", "other:1", "o");
      jedis.ping(); // connects: a lazily connecting Jedis sends its first command uncached
      // The first connection opened the endpoint's invalidation channel: as a readiness gate
      // would, hold the workload until the L1 is safe to serve.
      print("readyz.waitedMillis", awaitReady(http, base));
      server.resetStats();

      for (int i = 0; i < KEYS; i++) {
        expect("value-" + i, jedis.get("user:" + i));
        misses++;
      }
      for (int round = 0; round < HIT_ROUNDS; round++) {
        for (int i = 0; i < KEYS; i++) {
          expect("value-" + i, jedis.get("user:" + i));
          hits++;
        }
      }
      for (int i = 0; i < OUTSIDE_WRITES; i++) {
        server.call("SET", "user:" + (50 + i), "outside-" + i);
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      for (int i = 0; i < OUTSIDE_WRITES; i++) {
        while (true) { // old value: answered by the L1 before the invalidation came
          String v = jedis.get("user:" + (50 + i));
          if (v.equals("outside-" + i)) {
            misses++;
            break;
          }
          expect("value-" + (50 + i), v);
          hits++;
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("no invalidation of user:" + (50 + i) + " within 30 s");
          }
          Thread.sleep(1);
        }
      }
      for (int i = 0; i < REWRITTEN; i++) {
        jedis.set("user:" + i, "new-" + i);
        writes++;
      }
      for (int i = 0; i < REWRITTEN; i++) {
        expect("new-" + i, jedis.get("user:" + i));
        misses++;
      }
      for (int i = 0; i < TOO_LARGE_READS; i++) {
        jedis.get("user:big");
        misses++;
        tooLarge++;
      }
      expect("s", jedis.get("session:1")); // its rule says cache: false: no cache figure moves
      expect("o", jedis.get("other:1")); // no rule names it
      print("did.hits", hits);
      print("did.misses", misses);
      print("did.writes", writes);
      print("did.tooLarge", tooLarge);
      print("gets@server", server.commandCalls("get") - 2); // less the session:1 and other:1 reads
    }

    // Entry counts follow Caffeine's removal notices, and the channel's echoes of the writes
    // above may still drop a refilled entry: scrape until two scrapes in a row agree that the
    // entries are the fills less what was dropped.
    String metrics = "";
    String previous = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      metrics = get(http, base + "/metrics");
      String settled = settled(metrics);
      if (settled != null && settled.equals(previous)) {
        break;
      }
      previous = settled;
      Thread.sleep(200);
    }
    for (String line : metrics.split("\n")) {
      if (!line.startsWith("#")) {
        System.out.println("metrics|" + line);
      }
    }
    print("healthz", get(http, base + "/healthz"));
    print("readyz", get(http, base + "/readyz"));
  }

  /** The figures that must add up, once they do ({@code size == puts - dropped}); null until then. */
  private static String settled(String metrics) {
    double size = value(metrics, "cache_size{cache=\"user:\",cache_manager=\"redisl1\"}");
    double puts = value(metrics, "cache_puts_total{cache=\"user:\",cache_manager=\"redisl1\"}");
    double local = value(metrics, "redisl1_invalidations_total{source=\"local_write\"}");
    double channel = value(metrics, "redisl1_invalidations_total{source=\"invalidation_channel\"}");
    return size == puts - local - channel ? size + "/" + puts + "/" + local + "/" + channel : null;
  }

  private static double value(String metrics, String series) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1));
      }
    }
    return Double.NaN;
  }

  /** Polls /readyz until 200 (the endpoint itself starts in the background); the time it took. */
  private static long awaitReady(HttpClient http, String base) throws Exception {
    long start = System.nanoTime();
    long deadline = start + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/readyz"))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return Duration.ofNanos(System.nanoTime() - start).toMillis();
        }
      } catch (java.io.IOException notListeningYet) {
        // the endpoint starts on its own thread
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("/readyz not 200 within 60 s");
  }

  private static String get(HttpClient http, String url) throws Exception {
    HttpResponse<String> response =
        http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }

  private static void expect(String expected, String actual) {
    if (!expected.equals(actual)) {
      throw new IllegalStateException("expected " + expected + ", read " + actual);
    }
  }

  private static void print(String name, Object value) {
    System.out.println(name + "=" + value);
  }
}
