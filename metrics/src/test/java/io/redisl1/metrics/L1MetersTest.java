package io.redisl1.metrics;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.redisl1.store.KeyRule;
import io.redisl1.store.KeyRules;
import io.redisl1.store.L1Runtime;
import io.redisl1.store.L1Settings;
import io.redisl1.store.L1Store;
import io.redisl1.store.Scope;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The meters against a real store, read the way Prometheus reads them: from the scrape text. */
class L1MetersTest {
  private static final long TTL = Duration.ofMinutes(1).toNanos();

  private final KeyRule users = KeyRule.cached("user:", Duration.ofMinutes(1), false);
  private final KeyRule flags = KeyRule.cached("flag:", Duration.ofMinutes(1), false);
  private final L1Store store = L1Store.create(L1Settings.of(1 << 20, 64));
  private final L1Runtime runtime =
      L1Runtime.start(store, KeyRules.of(List.of(users, flags, KeyRule.bypassed("user:session:"))));
  private final Scope scope = store.scope("127.0.0.1:6379", 0, "default");
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  L1MetersTest() {
    L1Meters.bind(registry, runtime);
  }

  @Test
  void cacheMetersUseMicrometersNamesPerRulePrefix() throws Exception {
    store.get(scope, bytes("user:1"));
    store.fill(scope, bytes("user:1"), store.beginRead(), bytes("alice"), TTL);
    for (int i = 0; i < 3; i++) {
      store.get(scope, bytes("user:1"));
    }
    store.get(scope, bytes("flag:x"));
    awaitScraped("cache_size{cache=\"user:\",cache_manager=\"redisl1\"}", 1);

    String text = registry.scrape();
    assertEquals(3, value(text, "cache_gets_total{cache=\"user:\",cache_manager=\"redisl1\",result=\"hit\"}"));
    assertEquals(1, value(text, "cache_gets_total{cache=\"user:\",cache_manager=\"redisl1\",result=\"miss\"}"));
    assertEquals(1, value(text, "cache_puts_total{cache=\"user:\",cache_manager=\"redisl1\"}"));
    assertEquals(0, value(text, "cache_gets_total{cache=\"flag:\",cache_manager=\"redisl1\",result=\"hit\"}"));
    assertEquals(1, value(text, "cache_gets_total{cache=\"flag:\",cache_manager=\"redisl1\",result=\"miss\"}"));
    assertEquals(0, value(text, "cache_evictions_total{cache=\"user:\",cache_manager=\"redisl1\"}"));
    assertEquals(0, value(text, "cache_eviction_weight_total{cache=\"user:\",cache_manager=\"redisl1\"}"));
    assertFalse(text.contains("user:session:"), "a rule that caches nothing is no cache");
    assertFalse(text.contains("user:1"), "a key is never a tag value");
  }

  @Test
  void agentMetersFollowTheStore() throws Exception {
    store.fill(scope, bytes("user:1"), store.beginRead(), bytes("alice"), TTL);
    store.fill(scope, bytes("user:2"), store.beginRead(), bytes("bob"), TTL);
    store.fill(scope, bytes("user:big"), store.beginRead(), new byte[100], TTL);
    long staleToken = store.beginRead();
    store.invalidate(scope.keyspace(), bytes("user:3"));
    store.fill(scope, bytes("user:3"), staleToken, bytes("old"), TTL);
    store.invalidate(scope.keyspace(), bytes("user:2"));
    store.flush(scope.keyspace());
    store.cleanUp();

    String text = registry.scrape();
    assertEquals(1 << 20, value(text, "redisl1_memory_budget_bytes"));
    assertEquals(store.weightedSize(), value(text, "redisl1_memory_used_bytes"));
    assertEquals(1, value(text, "redisl1_entries"));
    assertEquals(1, value(text, "redisl1_enabled"));
    assertEquals(1, value(text, "redisl1_reads_bypassed_total{reason=\"value_too_large\"}"));
    assertEquals(1, value(text, "redisl1_stale_fills_rejected_total"));
    assertEquals(1, value(text, "redisl1_invalidations_total{source=\"local_write\"}"));
    assertEquals(1, value(text, "redisl1_invalidations_total{source=\"flush\"}"));

    L1Runtime.failed("a test", new IllegalStateException("boom"));
    assertEquals(0, value(registry.scrape(), "redisl1_enabled"));
  }

  @Test
  void evictionsAreCountedPerRuleWithTheirWeight() throws Exception {
    KeyRule rule = KeyRule.cached("p:", Duration.ofMinutes(1), false);
    L1Store small = L1Store.create(L1Settings.of(16 * 1024, 4096));
    PrometheusMeterRegistry own = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    L1Meters.bind(own, L1Runtime.start(small, KeyRules.of(List.of(rule))));
    Scope s = small.scope("h:1", 0, "default");
    for (int i = 0; i < 100; i++) {
      small.fill(s, bytes("p:" + i), small.beginRead(), new byte[1000], TTL);
    }
    small.cleanUp();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (rule.stats().entries() != small.estimatedEntries() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }

    String text = own.scrape();
    String tags = "{cache=\"p:\",cache_manager=\"redisl1\"}";
    assertEquals(100 - small.estimatedEntries(), value(text, "cache_evictions_total" + tags));
    assertTrue(value(text, "cache_evictions_total" + tags) > 80, text);
    assertEquals(rule.stats().evictionWeight(), value(text, "cache_eviction_weight_total" + tags));
    assertEquals(small.estimatedEntries(), value(text, "cache_size" + tags));
    assertEquals(small.weightedSize(), value(text, "redisl1_cache_bytes" + tags));
  }

  @Test
  void everySourceAndReasonIsASeriesFromTheStart() {
    String text = registry.scrape();
    for (String source : new String[] {"local_write", "invalidation_channel", "flush", "reconnect", "canary_failure"}) {
      assertEquals(0, value(text, "redisl1_invalidations_total{source=\"" + source + "\"}"), source);
    }
    for (String reason : new String[] {"no_rule", "rule_off", "transaction", "commands_in_flight", "scope_changing",
        "connection_detached", "endpoint_not_serving", "value_too_large"}) {
      assertEquals(0, value(text, "redisl1_reads_bypassed_total{reason=\"" + reason + "\"}"), reason);
    }
  }

  @Test
  void aReloadBringsNewRulesTheirMetersAndTakesAwayThoseOfRulesGone() {
    PrometheusMeterRegistry own = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    LiveMeters live = L1Meters.bind(own, runtime);
    KeyRule orders = KeyRule.cached("order:", Duration.ofMinutes(1), false);
    L1Runtime.reconfigure(KeyRules.of(List.of(users, orders)), true); // flag: gone; observe mode

    live.refresh();
    new io.redisl1.store.session.RedisSession("127.0.0.1:6379", 0).lookup(L1Runtime.current(), bytes("order:1"));
    String text = own.scrape();
    String order = "{cache=\"order:\",cache_manager=\"redisl1\"";
    assertEquals(0, value(text, "cache_gets_total" + order + ",result=\"hit\"}"));
    assertEquals(1, value(text, "redisl1_observe_gets_total" + order + ",result=\"would_miss\"}"), text);
    assertEquals(0, value(text, "redisl1_observe_gets_total" + order + ",result=\"would_hit\"}"), text);
    assertFalse(text.contains("cache=\"flag:\""), "a rule no longer in force has no meters");
    assertTrue(text.contains("cache=\"user:\""));
  }

  @Test
  void missLatencyIsANativePrometheusHistogram() {
    store.stats().missLatency().record(40_000); // 40 µs
    store.stats().missLatency().record(3_000_000); // 3 ms

    String text = L1Meters.bind(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), runtime).histograms();
    assertTrue(text.contains("# TYPE redisl1_get_miss_latency_seconds histogram\n"), text);
    assertEquals(0, value(text, "redisl1_get_miss_latency_seconds_bucket{le=\"0.000032768\"}"), text);
    assertEquals(1, value(text, "redisl1_get_miss_latency_seconds_bucket{le=\"0.000065536\"}"), text);
    assertEquals(2, value(text, "redisl1_get_miss_latency_seconds_bucket{le=\"0.004194304\"}"), text);
    assertEquals(2, value(text, "redisl1_get_miss_latency_seconds_bucket{le=\"+Inf\"}"), text);
    assertEquals(2, value(text, "redisl1_get_miss_latency_seconds_count"), text);
    assertEquals(0.00304, value(text, "redisl1_get_miss_latency_seconds_sum"), 1e-12, text);
  }

  @Test
  void hitLatencyIsASampleOfTheStoresLookupsAsANativeHistogram() {
    store.fill(scope, bytes("user:1"), store.beginRead(), bytes("alice"), TTL); // bound: sampling is on
    for (int i = 0; i < 3 * L1Store.HIT_TIMING_PERIOD; i++) {
      store.get(scope, bytes("user:1"));
    }

    String text = new LiveMeters(registry, runtime, null).histograms();
    assertTrue(text.contains("# TYPE redisl1_get_hit_latency_seconds histogram\n"), text);
    assertTrue(text.contains("# HELP redisl1_get_hit_latency_seconds A sample of GETs answered by the L1 (one lookup in 256"), text);
    assertEquals(3, value(text, "redisl1_get_hit_latency_seconds_count"), text);
    assertEquals(3, value(text, "redisl1_get_hit_latency_seconds_bucket{le=\"+Inf\"}"), text);
    assertTrue(value(text, "redisl1_get_hit_latency_seconds_bucket{le=\"0.000000032\"}") >= 0, "the first bound is 32 ns; " + text);
    assertTrue(value(text, "redisl1_get_hit_latency_seconds_sum") > 0, text);
  }

  @Test
  void withoutMetersBoundNoHitIsTimed() {
    L1Store unmetered = L1Store.create(L1Settings.of(1 << 20, 64));
    Scope s = unmetered.scope("127.0.0.1:6379", 0, "default");
    unmetered.fill(s, bytes("user:1"), unmetered.beginRead(), bytes("alice"), TTL);
    for (int i = 0; i < 3 * L1Store.HIT_TIMING_PERIOD; i++) {
      unmetered.get(s, bytes("user:1"));
    }
    assertEquals(0, unmetered.stats().hitLatency().count());
  }

  private void awaitScraped(String series, double expected) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (value(registry.scrape(), series) != expected && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
  }

  /** The value of one series in Prometheus text, or -1 when absent. */
  static double value(String text, String series) {
    Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }
}
