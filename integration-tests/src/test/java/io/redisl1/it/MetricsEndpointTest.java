package io.redisl1.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisl1.it.AgentRun.Outcome;
import io.redisl1.testsupport.RedisEndpoint;
import io.redisl1.testsupport.RedisServerExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator view of a real run: a Jedis workload under the agent against a real Redis, with its
 * invalidation channel, scrapes the agent's own {@code /metrics} and {@code /healthz}, and the
 * figures must equal what the workload counted itself and what Redis counted.
 *
 * <p>The channel also echoes the application's own writes back. An echo that arrives after the
 * rewritten key was read again drops that fresh fill (counted as invalidation_channel), one that
 * arrives while the read is on its way keeps it from filling (a stale fill rejected): the test
 * checks what holds either way, exactly. If the channel was lost during the run (a canary late on
 * a starved machine flushes the L1), the figures that assume every entry stayed are checked as
 * bounds and the run says so.
 */
@ExtendWith(RedisServerExtension.class)
class MetricsEndpointTest {
  private static final String CONFIG =
      """
      max-memory: 16MB
      max-value-size: 1KB
      # The default invalidation: tracking, with a canary patient enough for a CPU-starved machine.
      canary-interval: 1s
      rules:
        - prefix: "user:"
          ttl: 60s
        - prefix: "session:"
          cache: false
      metrics:
        host: 127.0.0.1
      """;
  private static final String USER = "{cache=\"user:\",cache_manager=\"redisl1\"";

  private final RedisEndpoint redis;

  MetricsEndpointTest(RedisEndpoint redis) {
    this.redis = redis;
  }

  @Test
  void scrapedFiguresEqualWhatTheWorkloadAndRedisCounted() throws IOException {
    Outcome o = AgentRun.withConfig(CONFIG).systemProperty("redisl1.metrics.port", Integer.toString(freePort()))
        .run(MetricsScenario.class, "metrics", redis);
    assertEquals(0, o.result.exitCode(), o::toString);
    String metrics = scraped(o);

    String endpoint = "{endpoint=\"" + redis.host() + ":" + redis.port() + "\"}";
    double losses = value(o, "redisl1_invalidation_channel_losses_total" + endpoint);
    long hits = o.number("did.hits"), misses = o.number("did.misses"), gets = hits + misses;
    long atServer = o.number("gets@server");
    // Whatever the channel did: a GET is a hit exactly when it did not reach Redis.
    assertEquals(atServer, value(o, "cache_gets_total" + USER + ",result=\"miss\"}"), metrics);
    assertEquals(gets - atServer, value(o, "cache_gets_total" + USER + ",result=\"hit\"}"), metrics);
    double puts = value(o, "cache_puts_total" + USER + "}");
    double stale = value(o, "redisl1_stale_fills_rejected_total");
    double local = value(o, "redisl1_invalidations_total{source=\"local_write\"}");
    double channel = value(o, "redisl1_invalidations_total{source=\"invalidation_channel\"}");
    assertEquals(puts - local - channel, value(o, "cache_size" + USER + "}"), "entries are fills less drops; " + metrics);
    assertEquals(0, value(o, "cache_evictions_total" + USER + "}"), metrics);
    assertEquals(o.number("did.tooLarge"), value(o, "redisl1_reads_bypassed_total{reason=\"value_too_large\"}"), metrics);
    assertEquals(1, value(o, "redisl1_reads_bypassed_total{reason=\"rule_off\"}"), metrics);
    assertEquals(1, value(o, "redisl1_reads_bypassed_total{reason=\"no_rule\"}"), metrics);
    assertEquals(1, value(o, "redisl1_invalidation_channel_confirmed" + endpoint), metrics);
    assertEquals(atServer, value(o, "redisl1_get_miss_latency_seconds_count"), "each miss's round trip is timed; " + metrics);
    assertEquals(atServer, value(o, "redisl1_get_miss_latency_seconds_bucket{le=\"+Inf\"}"), metrics);
    assertTrue(value(o, "redisl1_invalidation_staleness_seconds_count" + endpoint) >= 1, metrics);
    // One lookup in 256 of the workload's one thread is timed, and recorded when it hits.
    double timedHits = value(o, "redisl1_get_hit_latency_seconds_count");
    assertTrue(timedHits <= gets / 256, "at most one GET in 256 is timed; " + metrics);
    assertEquals(timedHits, value(o, "redisl1_get_hit_latency_seconds_bucket{le=\"+Inf\"}"), metrics);
    assertEquals(timedHits > 0, value(o, "redisl1_get_hit_latency_seconds_sum") > 0, metrics);
    System.out.printf("workload: %d GETs, %d at the server, %d hits expected; scraped: puts=%.0f stale=%.0f"
            + " local_write=%.0f invalidation_channel=%.0f size=%.0f losses=%.0f hits timed=%.0f; readyz after %s ms%n",
        gets, atServer, hits, puts, stale, local, channel, value(o, "cache_size" + USER + "}"), losses, timedHits,
        o.get("readyz.waitedMillis"));
    long fills = MetricsScenario.KEYS + MetricsScenario.OUTSIDE_WRITES + MetricsScenario.REWRITTEN;
    int outside = MetricsScenario.OUTSIDE_WRITES, rewritten = MetricsScenario.REWRITTEN;
    if (losses == 0) {
      assertEquals(hits, gets - atServer, "the L1 answered exactly the reads the workload expected it to; " + o);
      assertEquals(o.number("did.writes"), local, "each local write dropped its entry; " + metrics);
      assertEquals(fills, puts + stale, "every miss of a cached key filled, unless an echo fenced it off; " + metrics);
      assertTrue(channel >= outside && channel <= outside + rewritten,
          "each outside write dropped its entry through the channel, plus echoes of local writes; " + metrics);
      assertTrue(stale <= rewritten, "only echoes of local writes fence fills off; " + metrics);
    } else {
      System.out.println("the invalidation channel was lost " + losses + " time(s) during the run: figures that"
          + " assume every entry stayed cached are checked as bounds");
      assertTrue(local <= o.number("did.writes") && puts + stale <= atServer, metrics);
    }
    assertEquals(16L << 20, value(o, "redisl1_memory_budget_bytes"), metrics);
    // Each entry is estimated at key + value + 160 bytes; echoes may have dropped some refills.
    assertTrue(value(o, "redisl1_memory_used_bytes") > value(o, "cache_size" + USER + "}") * 160, metrics);
    assertEquals(1, value(o, "redisl1_enabled"), metrics);
    assertTrue(metrics.lines().noneMatch(l -> l.contains("session:")), "an uncached prefix is no cache; " + metrics);

    String health = o.get("healthz");
    long entries = (long) value(o, "cache_size" + USER + "}");
    long l1Hits = gets - atServer;
    assertTrue(health.startsWith("{\"status\":\"UP\",\"l1\":\"on\",\"invalidation\":\"tracking\",\"entries\":" + entries + ","), health);
    assertTrue(health.contains(",\"hits\":" + l1Hits + ",\"misses\":" + atServer + ","), health);
    assertTrue(health.contains(",\"bytesBudget\":" + (16L << 20) + ","), health);
    assertTrue(health.contains(String.format(",\"hitRate\":%.4f,", (double) l1Hits / gets)), health);
    assertTrue(health.contains(",\"ready\":true,\"channels\":[{\"endpoint\":\"" + redis.host() + ":" + redis.port() + "\",\"state\":\"confirmed\","), health);
    assertTrue(health.matches(".*\"clients\":\\{\"jedis\":\"" + Pattern.quote(jedisVersion()) + "\"}}"), health);
    assertEquals("{\"status\":\"READY\",\"invalidation\":\"tracking\",\"channels\":{\"" + redis.host() + ":" + redis.port()
        + "\":\"confirmed\"}}", o.get("readyz"));
    assertTrue(o.agentLines().stream().anyMatch(l -> l.contains("metrics on http://127.0.0.1:")), o::toString);
    dashboardNamesAreScraped(metrics);
  }

  @Test
  void withGlobalRegistryTheApplicationsOwnMicrometerSeesTheFigures() {
    // With invalidation: ttl, the L1 serves from the first GET: its counts need no channel.
    Outcome o = AgentRun.withConfig(CONFIG.replace("canary-interval: 1s", "invalidation: ttl"))
        .systemProperty("redisl1.metrics.global-registry", "true")
        .run(GlobalRegistryScenario.class, "global", redis);

    assertEquals(0, o.result.exitCode(), o::toString);
    assertEquals("3", o.get("app.hits"), o::toString);
    assertEquals("1", o.get("app.misses"), o::toString);
    assertEquals(Long.toString(16L << 20), o.get("app.budget"), o::toString);
    assertTrue(o.agentLines().stream().anyMatch(l -> l.contains("Metrics.globalRegistry")), o::toString);
  }

  /**
   * Every metric the Grafana dashboard queries is in the scrape of this real run, so a renamed
   * meter cannot leave a panel empty unnoticed.
   */
  private static void dashboardNamesAreScraped(String metrics) throws IOException {
    String dashboard = java.nio.file.Files.readString(java.nio.file.Path.of("../deploy/grafana/redis-l1.json"));
    Matcher names = Pattern.compile("\\b((?:redisl1|cache)_[a-z_]+)\\{").matcher(dashboard);
    int seen = 0;
    while (names.find()) {
      String name = names.group(1);
      assertTrue(metrics.lines().anyMatch(l -> l.startsWith(name + "{") || l.startsWith(name + " ")),
          "the dashboard queries " + name + ", which the agent does not serve; " + metrics);
      seen++;
    }
    assertTrue(seen >= 20, "found only " + seen + " metric names in the dashboard");
  }

  /** The scrape as the scenario printed it, one {@code metrics|<series> <value>} line each. */
  private static String scraped(Outcome o) {
    return String.join("\n", o.result.stdout().lines()
        .filter(l -> l.startsWith("metrics|")).map(l -> l.substring("metrics|".length())).toList());
  }

  private static double value(Outcome o, String series) {
    Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(scraped(o));
    if (!m.find()) {
      throw new AssertionError("no series " + series + " in the scrape; " + o);
    }
    return Double.parseDouble(m.group(1));
  }

  private static String jedisVersion() throws IOException {
    try (var in = redis.clients.jedis.Jedis.class.getClassLoader()
        .getResourceAsStream("META-INF/maven/redis.clients/jedis/pom.properties")) {
      var p = new java.util.Properties();
      p.load(in);
      return p.getProperty("version");
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
