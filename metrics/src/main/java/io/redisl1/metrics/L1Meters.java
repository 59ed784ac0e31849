package io.redisl1.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.redisl1.store.L1Runtime;
import io.redisl1.store.L1Stats;
import io.redisl1.store.L1Store;
import io.redisl1.store.RuleStats;
import io.redisl1.store.tracking.InvalidationChannels;
import java.util.ArrayList;
import java.util.List;

/**
 * The L1's figures as Micrometer meters. Nothing is recorded here: every meter reads the store's
 * counters when the registry is scraped, so binding costs the hit path nothing.
 *
 * <p>Per rule, Micrometer's cache names ({@code cache.gets}, {@code cache.puts}, ...) tagged {@code
 * cache=<prefix>} and {@code cache.manager=redisl1}, so existing cache dashboards work unchanged.
 * Keys are never tag values. The agent's own figures are under {@code redisl1.}. The meters of
 * rules and endpoints follow reloads and newly seen endpoints ({@link LiveMeters#refresh}).
 */
public final class L1Meters {
  public static final String CACHE_MANAGER = "redisl1";

  private L1Meters() {}

  /** Registers every figure in the agent's own registry, with no invalidation channels. */
  public static LiveMeters bind(MeterRegistry registry, L1Runtime runtime) {
    return bind(registry, runtime, null);
  }

  /**
   * Registers every figure in the agent's own registry; call {@link LiveMeters#refresh} before
   * each scrape so that rules added by a reload and endpoints seen since get their meters.
   *
   * @param channels null with {@code invalidation: ttl}
   */
  public static LiveMeters bind(MeterRegistry registry, L1Runtime runtime, InvalidationChannels channels) {
    for (Figure f : storeFigures(runtime)) {
      register(registry, f);
    }
    LiveMeters live = new LiveMeters(registry, runtime, channels);
    live.refresh();
    return live;
  }

  static Meter register(MeterRegistry registry, Figure f) {
    if (f.kind == Figure.Kind.COUNTER) {
      return FunctionCounter.builder(f.name, f.source, f.value)
          .tags(f.tags).baseUnit(f.baseUnit).description(f.description).register(registry);
    }
    return Gauge.builder(f.name, f.source, f.value)
        .tags(f.tags).baseUnit(f.baseUnit).description(f.description).register(registry);
  }

  /** The figures of the store as a whole, whatever the rules. */
  static List<Figure> storeFigures(L1Runtime runtime) {
    List<Figure> figures = new ArrayList<>();
    L1Store store = runtime.store();
    L1Stats stats = store.stats();
    String[] none = {};
    figures.add(Figure.gauge("redisl1.memory.used", none, "bytes",
        "Estimated bytes held by the L1 (keys, values and a per-entry overhead)", store, L1Store::weightedSize));
    figures.add(Figure.gauge("redisl1.memory.budget", none, "bytes",
        "The L1's byte budget (max-memory)", store, s -> s.settings().maxMemoryBytes()));
    figures.add(Figure.gauge("redisl1.entries", none, null,
        "Entries held by the L1, expired ones included until swept", store, L1Store::estimatedEntries));
    figures.add(Figure.gauge("redisl1.enabled", none, null,
        "1 while the L1 serves hits; 0 once an internal failure switched it off (pass-through)",
        store, s -> enabled(s) ? 1 : 0));
    for (L1Stats.Bypass reason : L1Stats.Bypass.values()) {
      figures.add(Figure.counter("redisl1.reads.bypassed", new String[] {"reason", reason.tag()}, null,
          "GETs sent to Redis without asking the L1, by reason (a plain miss is not one), and replies"
              + " not cached because larger than max-value-size (value_too_large)",
          stats, st -> st.bypassed(reason)));
    }
    figures.add(Figure.counter("redisl1.stale.fills.rejected", none, null,
        "Replies not cached because their key was written or invalidated while they were on their way",
        stats, L1Stats::staleFillsRejected));
    String invalidations =
        "Cached entries dropped by writes through this JVM (local_write) and by the invalidation channel"
            + " (invalidation_channel, which also echoes this JVM's own writes); databases flushed by"
            + " FLUSHDB/FLUSHALL/SWAPDB/unnamed-key writes (flush, applied when sent and again at the reply),"
            + " by a lost or re-established channel (reconnect) and by a canary not back in time (canary_failure)";
    for (L1Stats.InvalidationSource source : L1Stats.InvalidationSource.values()) {
      figures.add(Figure.counter("redisl1.invalidations", new String[] {"source", source.tag()}, null,
          invalidations, stats, st -> st.invalidated(source)));
    }
    for (L1Stats.ReloadResult result : L1Stats.ReloadResult.values()) {
      figures.add(Figure.counter("redisl1.config.reloads", new String[] {"result", result.tag()}, null,
          "Changes of the configuration file: applied, or rejected (unreadable or invalid; the"
              + " configuration in force was kept)",
          stats, st -> st.reloads(result)));
    }
    return figures;
  }

  /** Whether the L1 of {@code store} is the one in force (not switched off after a failure). */
  static boolean enabled(L1Store store) {
    L1Runtime current = L1Runtime.current();
    return current != null && current.store() == store;
  }

  static List<Figure> ruleFigures(String prefix, RuleStats stats) {
    List<Figure> figures = new ArrayList<>();
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
    String observed = "Observe mode: GETs of this rule's keys, by whether the L1 would have answered them";
    figures.add(Figure.counter("redisl1.observe.gets",
        new String[] {"cache", prefix, "cache.manager", CACHE_MANAGER, "result", "would_hit"}, null,
        observed, stats, RuleStats::wouldHit));
    figures.add(Figure.counter("redisl1.observe.gets",
        new String[] {"cache", prefix, "cache.manager", CACHE_MANAGER, "result", "would_miss"}, null,
        observed, stats, st -> st.lookups() - st.wouldHit()));
    return figures;
  }
}
