package io.redisl1.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.redisl1.store.KeyRule;
import io.redisl1.store.L1Runtime;
import io.redisl1.store.L1Stats;
import io.redisl1.store.L1Store;
import io.redisl1.store.RuleStats;

/**
 * The L1's figures as Micrometer meters. Nothing is recorded here: every meter reads the store's
 * counters when the registry is scraped, so binding costs the hit path nothing.
 *
 * <p>Per rule, Micrometer's cache names ({@code cache.gets}, {@code cache.puts}, ...) tagged {@code
 * cache=<prefix>} and {@code cache.manager=redisl1}, so existing cache dashboards work unchanged.
 * Keys are never tag values. The agent's own figures are under {@code redisl1.}.
 */
public final class L1Meters {
  public static final String CACHE_MANAGER = "redisl1";

  private L1Meters() {}

  public static void bind(MeterRegistry registry, L1Runtime runtime) {
    L1Store store = runtime.store();
    for (KeyRule rule : runtime.rules().rules()) {
      if (rule.cache()) {
        bindRule(registry, rule.prefix(), rule.stats());
      }
    }
    L1Stats stats = store.stats();
    Gauge.builder("redisl1.memory.used", store, L1Store::weightedSize)
        .baseUnit("bytes")
        .description("Estimated bytes held by the L1 (keys, values and a per-entry overhead)")
        .register(registry);
    Gauge.builder("redisl1.memory.budget", store, s -> s.settings().maxMemoryBytes())
        .baseUnit("bytes")
        .description("The L1's byte budget (max-memory)")
        .register(registry);
    Gauge.builder("redisl1.entries", store, L1Store::estimatedEntries)
        .description("Entries held by the L1, expired ones included until swept")
        .register(registry);
    Gauge.builder("redisl1.enabled", runtime, r -> L1Runtime.current() == r ? 1 : 0)
        .description("1 while the L1 serves hits; 0 once an internal failure switched it off (pass-through)")
        .register(registry);
    FunctionCounter.builder("redisl1.reads.bypassed", stats, L1Stats::tooLarge)
        .tags("reason", "value_too_large")
        .description("Replies read from Redis and not cached, by reason")
        .register(registry);
    FunctionCounter.builder("redisl1.stale.fills.rejected", stats, L1Stats::staleFillsRejected)
        .description("Replies not cached because their key was written or invalidated while they were on their way")
        .register(registry);
    FunctionCounter.builder("redisl1.invalidations", stats, L1Stats::entriesInvalidated)
        .tags("source", "local_write")
        .description("Entries dropped by writes through this JVM (local_write, one per entry) and databases flushed (flush)")
        .register(registry);
    FunctionCounter.builder("redisl1.invalidations", stats, L1Stats::flushes)
        .tags("source", "flush")
        .description("Entries dropped by writes through this JVM (local_write, one per entry) and databases flushed (flush)")
        .register(registry);
  }

  private static void bindRule(MeterRegistry registry, String prefix, RuleStats stats) {
    Tags tags = Tags.of("cache", prefix, "cache.manager", CACHE_MANAGER);
    FunctionCounter.builder("cache.gets", stats, RuleStats::hits)
        .tags(tags).tag("result", "hit")
        .description("The number of times cache lookup methods have returned a cached value")
        .register(registry);
    FunctionCounter.builder("cache.gets", stats, RuleStats::misses)
        .tags(tags).tag("result", "miss")
        .description("The number of times cache lookup methods have returned an uncached (newly loaded) value, or null")
        .register(registry);
    FunctionCounter.builder("cache.puts", stats, RuleStats::puts)
        .tags(tags)
        .description("The number of entries added to the cache")
        .register(registry);
    FunctionCounter.builder("cache.evictions", stats, RuleStats::evictions)
        .tags(tags)
        .description("The number of times the cache was evicted")
        .register(registry);
    FunctionCounter.builder("cache.eviction.weight", stats, RuleStats::evictionWeight)
        .tags(tags)
        .description("The sum of weights of evicted entries. This total does not include manual invalidations")
        .register(registry);
    Gauge.builder("cache.size", stats, RuleStats::entries)
        .tags(tags)
        .description("The number of entries in this cache")
        .register(registry);
    Gauge.builder("redisl1.cache.bytes", stats, RuleStats::bytes)
        .tags(tags)
        .baseUnit("bytes")
        .description("Estimated bytes held by this rule's entries")
        .register(registry);
  }
}
