package io.redisl1.store;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters an operator reads; each update is one striped increment, cheap enough for the hit path.
 * Hits, misses, fills and sizes are kept per rule ({@link RuleStats}); the totals here add them up
 * when read.
 */
public final class L1Stats {
  /** Keys no rule of {@link #rules} names: a store used without rules, as tests and benchmarks do. */
  final RuleStats unmatched = new RuleStats();
  volatile KeyRules rules = KeyRules.none();
  final LongAdder staleFillsRejected = new LongAdder();
  final LongAdder tooLarge = new LongAdder();
  final LongAdder invalidations = new LongAdder();
  final LongAdder entriesInvalidated = new LongAdder();
  final LongAdder flushes = new LongAdder();

  public RuleStats unmatched() {
    return unmatched;
  }

  public long hits() {
    long n = unmatched.hits();
    for (KeyRule rule : rules.rules()) {
      n += rule.stats().hits();
    }
    return n;
  }

  public long misses() {
    long n = unmatched.misses();
    for (KeyRule rule : rules.rules()) {
      n += rule.stats().misses();
    }
    return n;
  }

  public long fills() {
    long n = unmatched.puts();
    for (KeyRule rule : rules.rules()) {
      n += rule.stats().puts();
    }
    return n;
  }

  public long evictions() {
    long n = unmatched.evictions();
    for (KeyRule rule : rules.rules()) {
      n += rule.stats().evictions();
    }
    return n;
  }

  /** Replies not cached because a write or invalidation of their key came after the read began. */
  public long staleFillsRejected() {
    return staleFillsRejected.sum();
  }

  /** Replies not cached because they were larger than max-value-size. */
  public long tooLarge() {
    return tooLarge.sum();
  }

  /** Keys invalidated by writes through this JVM's clients (each write invalidates before and after). */
  public long invalidations() {
    return invalidations.sum();
  }

  /** Cached entries those invalidations actually dropped. */
  public long entriesInvalidated() {
    return entriesInvalidated.sum();
  }

  /** Databases flushed (FLUSHDB, FLUSHALL, SWAPDB, writes whose keys cannot be named). */
  public long flushes() {
    return flushes.sum();
  }

  /** Hits over lookups, 0 when nothing was looked up. */
  public double hitRate() {
    long h = hits(), m = misses();
    return h + m == 0 ? 0 : (double) h / (h + m);
  }

  @Override
  public String toString() {
    return String.format(
        "hits=%d misses=%d hitRate=%.3f fills=%d staleFillsRejected=%d tooLarge=%d invalidations=%d flushes=%d",
        hits(), misses(), hitRate(), fills(), staleFillsRejected(), tooLarge(), invalidations(), flushes());
  }
}
