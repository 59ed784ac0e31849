package io.redisl1.store;

import java.util.function.LongSupplier;

/** Sizing of an {@link L1Store}. */
public final class L1Settings {
  /** Estimated bytes an entry costs beyond its key and value: node, key and entry objects, arrays. */
  public static final int DEFAULT_ENTRY_OVERHEAD = 160;

  final long maxMemoryBytes;
  final int maxValueBytes;
  final int entryOverhead;
  final LongSupplier nanoTicker;

  private L1Settings(long maxMemoryBytes, int maxValueBytes, int entryOverhead, LongSupplier nanoTicker) {
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
  }

  public static L1Settings of(long maxMemoryBytes, int maxValueBytes) {
    return new L1Settings(maxMemoryBytes, maxValueBytes, DEFAULT_ENTRY_OVERHEAD, System::nanoTime);
  }

  /** Same sizing, driven by another clock (tests). */
  public L1Settings withTicker(LongSupplier nanoTicker) {
    return new L1Settings(maxMemoryBytes, maxValueBytes, entryOverhead, nanoTicker);
  }

  public long maxMemoryBytes() {
    return maxMemoryBytes;
  }

  public int maxValueBytes() {
    return maxValueBytes;
  }
}
