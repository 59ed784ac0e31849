package io.redisl1.metrics;

/** The L1's core figures for JConsole and VisualVM, as {@code io.redisl1:type=L1}. */
public interface L1MXBean {
  boolean isEnabled();

  long getHits();

  long getMisses();

  double getHitRate();

  long getFills();

  long getEntries();

  long getBytesUsed();

  long getBytesBudget();

  long getEvictions();

  long getStaleFillsRejected();

  long getValuesTooLarge();

  long getEntriesInvalidated();

  long getFlushes();
}
