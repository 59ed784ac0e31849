package io.redisl1.store;

import java.time.Duration;
import java.util.function.LongSupplier;

/** Sizing of an {@link L1Store}. */
public final class L1Settings {
  /** Estimated bytes an entry costs beyond its key and value: node, key and entry objects, arrays. */
  public static final int DEFAULT_ENTRY_OVERHEAD = 160;

  /**
   * How long before Redis drops a key its L1 entry must be gone. Entries are clamped from the
   * moment the GET was sent, so this only has to cover PTTL's whole-millisecond truncation and the
   * difference in rate between Redis's clock and the JVM's: 50 ms is 1 ms of truncation plus a
   * rate difference of over 800 ppm across a 60 s lifetime (NTP slews a clock by at most 500 ppm).
   */
  public static final long DEFAULT_TTL_MARGIN_NANOS = 50_000_000L;

  final long maxMemoryBytes;
  final int maxValueBytes;
  final int entryOverhead;
  final LongSupplier nanoTicker;
  /** Whether {@link #nanoTicker} is {@code System.nanoTime()}, so hits may read {@link CoarseClock}. */
  final boolean systemClock;
  final long ttlMarginNanos;

  private L1Settings(
      long maxMemoryBytes,
      int maxValueBytes,
      int entryOverhead,
      LongSupplier nanoTicker,
      boolean systemClock,
      long ttlMarginNanos) {
    if (maxMemoryBytes <= 0) {
      throw new IllegalArgumentException("max-memory must be positive: " + maxMemoryBytes);
    }
    if (maxValueBytes < 0) {
      throw new IllegalArgumentException("max-value-size must not be negative: " + maxValueBytes);
    }
    this.maxMemoryBytes = maxMemoryBytes;
    this.maxValueBytes = maxValueBytes;
    this.entryOverhead = entryOverhead;
    this.nanoTicker = nanoTicker;
    this.systemClock = systemClock;
    if (ttlMarginNanos < 0) {
      throw new IllegalArgumentException("ttl-margin must not be negative: " + ttlMarginNanos + "ns");
    }
    this.ttlMarginNanos = ttlMarginNanos;
  }

  public static L1Settings of(long maxMemoryBytes, int maxValueBytes) {
    return new L1Settings(
        maxMemoryBytes, maxValueBytes, DEFAULT_ENTRY_OVERHEAD, System::nanoTime, true, DEFAULT_TTL_MARGIN_NANOS);
  }

  /** Same sizing, driven by another clock (tests). */
  public L1Settings withTicker(LongSupplier nanoTicker) {
    return new L1Settings(maxMemoryBytes, maxValueBytes, entryOverhead, nanoTicker, false, ttlMarginNanos);
  }

  /** Same sizing, with entries ending {@code margin} before Redis drops their key. */
  public L1Settings withTtlMargin(Duration margin) {
    return new L1Settings(
        maxMemoryBytes, maxValueBytes, entryOverhead, nanoTicker, systemClock, margin.toNanos());
  }

  public long maxMemoryBytes() {
    return maxMemoryBytes;
  }

  public int maxValueBytes() {
    return maxValueBytes;
  }

  public long ttlMarginNanos() {
    return ttlMarginNanos;
  }
}
