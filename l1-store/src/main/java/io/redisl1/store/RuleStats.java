package io.redisl1.store;

import java.util.concurrent.atomic.LongAdder;

/**
 * What one rule's keys did in the store: the figures Micrometer's cache metrics name per cache,
 * and what observe mode learns. Each update is one striped increment; a hit costs exactly one
 * ({@link #hits}), reached through the entry it hit, so the hit path does no rule matching to
 * count. Kept across reloads for as long as a rule with the same prefix exists.
 *
 * <p>{@link #entries()} and {@link #bytes()} follow Caffeine's removal notifications, which arrive
 * shortly after the removal on Caffeine's executor: they are exact once the store is quiet.
 */
public final class RuleStats {
  final LongAdder hits = new LongAdder();
  final LongAdder misses = new LongAdder();
  final LongAdder puts = new LongAdder();
  final LongAdder evictions = new LongAdder();
  final LongAdder evictionWeight = new LongAdder();
  final LongAdder entries = new LongAdder();
  final LongAdder bytes = new LongAdder();
  private final LongAdder lookups = new LongAdder();
  private final LongAdder wouldHit = new LongAdder();

  public long hits() {
    return hits.sum();
  }

  public long misses() {
    return misses.sum();
  }

  /** Values cached (fills that were not rejected). */
  public long puts() {
    return puts.sum();
  }

  /** Entries removed to stay within the byte budget. */
  public long evictions() {
    return evictions.sum();
  }

  /** Estimated bytes of the entries evicted to stay within the byte budget. */
  public long evictionWeight() {
    return evictionWeight.sum();
  }

  /** Entries held, expired ones included until the sweeper removes them. */
  public long entries() {
    return entries.sum();
  }

  /** Estimated bytes held by this rule's entries, as the byte budget counts them. */
  public long bytes() {
    return bytes.sum();
  }

  /** Observe mode saw a GET of a key under this rule; {@code hit} if the L1 would have answered. */
  public void looked(boolean hit) {
    lookups.increment();
    if (hit) {
      wouldHit.increment();
    }
  }

  /** GETs of keys under the rule that observe mode saw. */
  public long lookups() {
    return lookups.sum();
  }

  /** Of those, the ones the L1 would have answered: each a round trip saved. */
  public long wouldHit() {
    return wouldHit.sum();
  }
}
