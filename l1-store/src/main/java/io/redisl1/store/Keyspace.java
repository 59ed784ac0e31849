package io.redisl1.store;

import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * One logical database of one Redis server: the unit that FLUSHDB clears and that a write to a key
 * touches, whoever the writer is authenticated as.
 */
public final class Keyspace {
  private static final AtomicLongFieldUpdater<Keyspace> FLUSHED_AT =
      AtomicLongFieldUpdater.newUpdater(Keyspace.class, "flushedAt");

  private final String endpoint;
  private final int db;
  /** Mixed into per-key hashes so equal keys of different databases spread apart. */
  final int salt;
  /** Sequence number of the last flush; entries filled from reads that started earlier are dead. */
  volatile long flushedAt;

  /**
   * Moves the flush number up to {@code seq}, never down: two flushes racing to record their
   * numbers must leave the later one, or a read begun between them could fill.
   */
  void flushedAtLeast(long seq) {
    FLUSHED_AT.accumulateAndGet(this, seq, Math::max);
  }

  Keyspace(String endpoint, int db, int salt) {
    this.endpoint = endpoint;
    this.db = db;
    this.salt = salt;
  }

  public String endpoint() {
    return endpoint;
  }

  public int db() {
    return db;
  }

  @Override
  public String toString() {
    return endpoint + "/" + db;
  }
}
