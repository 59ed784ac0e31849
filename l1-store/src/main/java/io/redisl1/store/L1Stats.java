package io.redisl1.store;

import java.util.concurrent.atomic.LongAdder;

/** Counters an operator reads; each update is one striped increment, cheap enough for the hit path. */
public final class L1Stats {
  final LongAdder hits = new LongAdder();
  final LongAdder misses = new LongAdder();
  final LongAdder fills = new LongAdder();
  final LongAdder staleFillsRejected = new LongAdder();
  final LongAdder tooLarge = new LongAdder();
  final LongAdder invalidations = new LongAdder();
  final LongAdder flushes = new LongAdder();

  public long hits() {
    return hits.sum();
  }

  public long misses() {
    return misses.sum();
  }

  public long fills() {
    return fills.sum();
  }

  public long staleFillsRejected() {
    return staleFillsRejected.sum();
  }

  public long tooLarge() {
    return tooLarge.sum();
  }

  public long invalidations() {
    return invalidations.sum();
  }

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
