package io.redisl1.it;

import io.redisl1.testsupport.RespClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import redis.clients.jedis.Jedis;

/**
 * A Jedis workload whose every L1 outcome is known in advance, run under the agent by {@link
 * MetricsEndpointTest}; then it scrapes its own agent's endpoint over HTTP, as Prometheus would,
 * and prints what it counted ({@code did.*}), what Redis counted ({@code gets@server}) and what
 * the endpoint said ({@code metrics|} lines, {@code healthz=}, {@code readyz=}).
 */
public final class MetricsScenario {
  static final int KEYS = 100;
  static final int HIT_ROUNDS = 5;
  static final int REWRITTEN = 10;
  static final int TOO_LARGE_READS = 2;

  public static void main(String[] args) throws Exception {
    String host = args[1];
    int port = Integer.parseInt(args[2]);
    long misses = 0, hits = 0, writes = 0, tooLarge = 0;
    try (RespClient server = new RespClient(host, port); Jedis jedis = new Jedis(host, port)) {
      server.flushAll();
      for (int i = 0; i < KEYS; i++) {
        server.call("SET", "user:" + i, "value-" + i);
      }
      server.call("SET", "user:big", "x".repeat(2048));
      server.call("SET", "session:1", "s");
      jedis.ping(); // connects: a lazily connecting Jedis sends its first command uncached
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
      expect("s", jedis.get("session:1")); // no rule caches it: no cache figure moves
      print("did.hits", hits);
      print("did.misses", misses);
      print("did.writes", writes);
      print("did.tooLarge", tooLarge);
      print("gets@server", server.commandCalls("get") - 1); // less the session:1 read
    }

    String base = "http://127.0.0.1:" + System.getProperty("redisl1.metrics.port");
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    // The endpoint starts in the background; entry counts follow Caffeine's removal notices.
    String metrics = "";
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        metrics = get(http, base + "/metrics");
        if (metrics.contains("cache_size{cache=\"user:\",cache_manager=\"redisl1\"} " + KEYS + ".0")) {
          break;
        }
      } catch (java.io.IOException notYet) {
        // not listening yet
      }
      Thread.sleep(50);
    }
    for (String line : metrics.split("\n")) {
      if (!line.startsWith("#")) {
        System.out.println("metrics|" + line);
      }
    }
    print("healthz", get(http, base + "/healthz"));
    print("readyz", get(http, base + "/readyz"));
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
