package io.redisl1.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.redisl1.store.KeyRule;
import io.redisl1.store.L1Runtime;
import io.redisl1.store.L1Stats;
import io.redisl1.store.L1Store;
import io.redisl1.store.RuleStats;
import java.util.ArrayList;
import java.util.List;

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

  /** Registers every figure in the agent's own registry. */
  public static void bind(MeterRegistry registry, L1Runtime runtime) {
    for (Figure f : figures(runtime)) {
      if (f.kind == Figure.Kind.COUNTER) {
        FunctionCounter.builder(f.name, f.source, f.value)
            .tags(f.tags).baseUnit(f.baseUnit).description(f.description).register(registry);
      } else {
        Gauge.builder(f.name, f.source, f.value)
            .tags(f.tags).baseUnit(f.baseUnit).description(f.description).register(registry);
      }
    }
  }

  static List<Figure> figures(L1Runtime runtime) {
    List<Figure> figures = new ArrayList<>();
    for (KeyRule rule : runtime.rules().rules()) {
      if (rule.cache()) {
        ruleFigures(figures, rule.prefix(), rule.stats());
      }
    }
    L1Store store = runtime.store();
    L1Stats stats = store.stats();
    String[] none = {};
    String invalidations =
        "Entries dropped by writes through this JVM (local_write, one per entry) and database flushes"
            + " applied (flush: FLUSHDB/FLUSHALL/SWAPDB/unnamed-key writes, applied when sent and again at the reply)";
    figures.add(Figure.gauge("redisl1.memory.used", none, "bytes",
        "Estimated bytes held by the L1 (keys, values and a per-entry overhead)", store, L1Store::weightedSize));
    figures.add(Figure.gauge("redisl1.memory.budget", none, "bytes",
        "The L1's byte budget (max-memory)", store, s -> s.settings().maxMemoryBytes()));
    figures.add(Figure.gauge("redisl1.entries", none, null,
        "Entries held by the L1, expired ones included until swept", store, L1Store::estimatedEntries));
    figures.add(Figure.gauge("redisl1.enabled", none, null,
        "1 while the L1 serves hits; 0 once an internal failure switched it off (pass-through)",
        runtime, r -> L1Runtime.current() == r ? 1 : 0));
    figures.add(Figure.counter("redisl1.reads.bypassed", new String[] {"reason", "value_too_large"}, null,
        "Replies read from Redis and not cached, by reason", stats, L1Stats::tooLarge));
    figures.add(Figure.counter("redisl1.stale.fills.rejected", none, null,
        "Replies not cached because their key was written or invalidated while they were on their way",
        stats, L1Stats::staleFillsRejected));
    figures.add(Figure.counter("redisl1.invalidations", new String[] {"source", "local_write"}, null,
        invalidations, stats, L1Stats::entriesInvalidated));
    figures.add(Figure.counter("redisl1.invalidations", new String[] {"source", "flush"}, null,
        invalidations, stats, L1Stats::flushes));
    return figures;
  }

  private static void ruleFigures(List<Figure> figures, String prefix, RuleStats stats) {
    String[] tags = {"cache", prefix, "cache.manager", CACHE_MANAGER};
    String[] hit = {"cache", prefix, "cache.manager", CACHE_MANAGER, "result", "hit"};
    String[] miss = {"cache", prefix, "cache.manager", CACHE_MANAGER, "result", "miss"};
    figures.add(Figure.counter("cache.gets", hit, null,
        "The number of times cache lookup methods have returned a cached value", stats, RuleStats::hits));
    figures.add(Figure.counter("cache.gets", miss, null,
        "The number of times cache lookup methods have returned an uncached (newly loaded) value, or null",
        stats, RuleStats::misses));
    figures.add(Figure.counter("cache.puts", tags, null,
        "The number of entries added to the cache", stats, RuleStats::puts));
    figures.add(Figure.counter("cache.evictions", tags, null,
        "The number of times the cache was evicted", stats, RuleStats::evictions));
    figures.add(Figure.counter("cache.eviction.weight", tags, null,
        "The sum of weights of evicted entries. This total does not include manual invalidations",
        stats, RuleStats::evictionWeight));
    figures.add(Figure.gauge("cache.size", tags, null,
        "The number of entries in this cache", stats, RuleStats::entries));
    figures.add(Figure.gauge("redisl1.cache.bytes", tags, "bytes",
        "Estimated bytes held by this rule's entries", stats, RuleStats::bytes));
  }
}
