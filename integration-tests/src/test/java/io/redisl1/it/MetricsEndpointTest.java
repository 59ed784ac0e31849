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
 * The operator view of a real run: a Jedis workload under the agent against a real Redis scrapes
 * the agent's own {@code /metrics} and {@code /healthz}, and the figures must equal what the
 * workload counted itself and what Redis counted.
 */
@ExtendWith(RedisServerExtension.class)
class MetricsEndpointTest {
  private static final String CONFIG =
      """
      max-memory: 16MB
      max-value-size: 1KB
      # Exact counts of local-write invalidations: a tracking channel's invalidations (echoes of
      # these writes too) are counted under the same figure until the metrics tell sources apart.
      invalidation: ttl
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

    long hits = o.number("did.hits"), misses = o.number("did.misses");
    assertEquals(misses, o.number("gets@server"), "every miss, and only a miss, reached Redis; " + o);
    assertEquals(hits, value(o, "cache_gets_total" + USER + ",result=\"hit\"}"), metrics);
    assertEquals(misses, value(o, "cache_gets_total" + USER + ",result=\"miss\"}"), metrics);
    assertEquals(MetricsScenario.KEYS + MetricsScenario.REWRITTEN, value(o, "cache_puts_total" + USER + "}"), metrics);
    assertEquals(MetricsScenario.KEYS, value(o, "cache_size" + USER + "}"), metrics);
    assertEquals(0, value(o, "cache_evictions_total" + USER + "}"), metrics);
    assertEquals(o.number("did.writes"), value(o, "redisl1_invalidations_total{source=\"local_write\"}"), metrics);
    assertEquals(o.number("did.tooLarge"), value(o, "redisl1_reads_bypassed_total{reason=\"value_too_large\"}"), metrics);
    assertEquals(0, value(o, "redisl1_stale_fills_rejected_total"), metrics);
    assertEquals(16L << 20, value(o, "redisl1_memory_budget_bytes"), metrics);
    assertTrue(value(o, "redisl1_memory_used_bytes") > MetricsScenario.KEYS * 160, metrics);
    assertEquals(1, value(o, "redisl1_enabled"), metrics);
    assertTrue(metrics.lines().noneMatch(l -> l.contains("session:")), "an uncached prefix is no cache; " + metrics);

    String health = o.get("healthz");
    assertTrue(health.startsWith("{\"status\":\"UP\",\"l1\":\"on\",\"invalidation\":\"ttl\",\"entries\":" + MetricsScenario.KEYS + ","), health);
    assertTrue(health.contains(",\"hits\":" + hits + ",\"misses\":" + misses + ","), health);
    assertTrue(health.contains(",\"bytesBudget\":" + (16L << 20) + ","), health);
    assertTrue(health.contains(String.format(",\"hitRate\":%.4f,", (double) hits / (hits + misses))), health);
    assertTrue(health.matches(".*\"clients\":\\{\"jedis\":\"" + Pattern.quote(jedisVersion()) + "\"}}"), health);
    assertEquals("{\"status\":\"READY\",\"invalidation\":\"ttl\"}", o.get("readyz"));
    assertTrue(o.agentLines().stream().anyMatch(l -> l.contains("metrics on http://127.0.0.1:")), o::toString);
  }

  @Test
  void withGlobalRegistryTheApplicationsOwnMicrometerSeesTheFigures() {
    Outcome o = AgentRun.withConfig(CONFIG).systemProperty("redisl1.metrics.global-registry", "true")
        .run(GlobalRegistryScenario.class, "global", redis);

    assertEquals(0, o.result.exitCode(), o::toString);
    assertEquals("3", o.get("app.hits"), o::toString);
    assertEquals("1", o.get("app.misses"), o::toString);
    assertEquals(Long.toString(16L << 20), o.get("app.budget"), o::toString);
    assertTrue(o.agentLines().stream().anyMatch(l -> l.contains("Metrics.globalRegistry")), o::toString);
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
