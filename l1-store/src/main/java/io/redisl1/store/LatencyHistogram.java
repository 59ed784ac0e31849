package io.redisl1.store;

import java.util.concurrent.atomic.LongAdder;

/**
 * Durations counted into fixed power-of-two buckets, by default from 1 µs ({@code 2^10} ns) to
 * about 1.07 s ({@code 2^30} ns) and one beyond: recording is a bit count and two striped
 * increments, with no allocation and no lock, and reading is done only when scraped. Resolution is
 * a factor of two, which is what an operator needs to tell a local Redis (tens of µs) from a slow
 * network (ms), or a lookup served from the CPU's caches from one that waited on memory.
 */
public final class LatencyHistogram {
  /** The default first bound, {@code 2^10} ns: round trips to Redis. */
  static final int FIRST_BIT = 10;
  /** The default last bound, {@code 2^30} ns. */
  static final int LAST_BIT = 30;

  /** Bucket {@code i} holds durations up to {@code 2^(firstBit + i)} ns; the last one the rest. */
  private final int firstBit;
  private final LongAdder[] counts;
  private final LongAdder sumNanos = new LongAdder();

  /** Buckets for round trips to Redis: 1 µs to about 1 s. */
  public LatencyHistogram() {
    this(FIRST_BIT, LAST_BIT);
  }

  /** Buckets bounded by {@code 2^firstBit} to {@code 2^lastBit} ns, and one beyond. */
  public LatencyHistogram(int firstBit, int lastBit) {
    if (firstBit < 1 || lastBit <= firstBit || lastBit > 62) {
      throw new IllegalArgumentException("bounds 2^" + firstBit + " to 2^" + lastBit);
    }
    this.firstBit = firstBit;
    this.counts = new LongAdder[lastBit - firstBit + 2];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = new LongAdder();
    }
  }

  /** Counts one duration; a negative one (a clock that went back) counts as zero. */
  public void record(long nanos) {
    long n = Math.max(0, nanos);
    // Smallest b with n <= 2^b is 64 - nlz(n - 1); everything up to 2^firstBit in the first bucket.
    int bit = n <= 1 ? 0 : 64 - Long.numberOfLeadingZeros(n - 1);
    int i = Math.min(counts.length - 1, Math.max(0, bit - firstBit));
    counts[i].increment();
    sumNanos.add(n);
  }

  /** Number of buckets with an upper bound; {@link #cumulative} also takes this index (+Inf). */
  public int bounds() {
    return counts.length - 1;
  }

  /** The upper bound of bucket {@code i} < {@link #bounds()}, in nanoseconds. */
  public long upperBoundNanos(int i) {
    return 1L << (firstBit + i);
  }

  /** Durations up to and including bucket {@code i}'s bound ({@code i == bounds()}: all of them). */
  public long cumulative(int i) {
    long n = 0;
    for (int b = 0; b <= i; b++) {
      n += counts[b].sum();
    }
    return n;
  }

  public long count() {
    return cumulative(counts.length - 1);
  }

  public long sumNanos() {
    return sumNanos.sum();
  }
}
