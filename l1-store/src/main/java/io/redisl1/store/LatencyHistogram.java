package io.redisl1.store;

import java.util.concurrent.atomic.LongAdder;

/**
 * Durations counted into fixed power-of-two buckets, from 1 µs ({@code 2^10} ns) to about 1.07 s
 * ({@code 2^30} ns) and one beyond: recording is a bit count and two striped increments, with no
 * allocation and no lock, and reading is done only when scraped. Resolution is a factor of two,
 * which is what an operator needs to tell a local Redis (tens of µs) from a slow network (ms).
 */
public final class LatencyHistogram {
  /** Bucket {@code i} holds durations up to {@code 2^(FIRST_BIT + i)} ns; the last one the rest. */
  static final int FIRST_BIT = 10;
  static final int LAST_BIT = 30;
  private static final int BUCKETS = LAST_BIT - FIRST_BIT + 2;

  private final LongAdder[] counts = new LongAdder[BUCKETS];
  private final LongAdder sumNanos = new LongAdder();

  public LatencyHistogram() {
    for (int i = 0; i < BUCKETS; i++) {
      counts[i] = new LongAdder();
    }
  }

  /** Counts one duration; a negative one (a clock that went back) counts as zero. */
  public void record(long nanos) {
    long n = Math.max(0, nanos);
    // Smallest b with n <= 2^b is 64 - nlz(n - 1); everything up to 2^FIRST_BIT in the first bucket.
    int bit = n <= 1 ? 0 : 64 - Long.numberOfLeadingZeros(n - 1);
    int i = Math.min(BUCKETS - 1, Math.max(0, bit - FIRST_BIT));
    counts[i].increment();
    sumNanos.add(n);
  }

  /** Number of buckets with an upper bound; {@link #cumulative} also takes this index (+Inf). */
  public int bounds() {
    return BUCKETS - 1;
  }

  /** The upper bound of bucket {@code i} < {@link #bounds()}, in nanoseconds. */
  public long upperBoundNanos(int i) {
    return 1L << (FIRST_BIT + i);
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
    return cumulative(BUCKETS - 1);
  }

  public long sumNanos() {
    return sumNanos.sum();
  }
}
