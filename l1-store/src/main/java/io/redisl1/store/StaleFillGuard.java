package io.redisl1.store;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Keeps a GET reply that was requested before a write from filling the cache after that write.
 *
 * <p>Every invalidation draws a number from one global sequence and records it in the stripe its
 * key hashes to. A read takes the current sequence number before its request is sent; its reply
 * may fill only if no invalidation of a key in the same stripe (or flush of its keyspace) was
 * numbered after it. Stripes may be shared by unrelated keys: that only rejects a few harmless
 * fills, never lets a stale one through.
 *
 * <p>The check runs inside the cache's atomic compute for the key, and an invalidation records its
 * number before removing the entry, so either the fill sees the number and backs off, or the
 * removal comes after the fill and takes the entry out.
 */
final class StaleFillGuard {
  private static final int STRIPES = 1 << 14;

  private final AtomicLong sequence = new AtomicLong();
  private final AtomicLongArray lastInvalidated = new AtomicLongArray(STRIPES);

  long beginRead() {
    return sequence.get();
  }

  long invalidate(Keyspace keyspace, byte[] key) {
    long seq = sequence.incrementAndGet();
    lastInvalidated.accumulateAndGet(stripe(keyspace, key), seq, Math::max);
    return seq;
  }

  long flush(Keyspace keyspace) {
    long seq = sequence.incrementAndGet();
    keyspace.flushedAtLeast(seq);
    return seq;
  }

  boolean mayFill(Keyspace keyspace, byte[] key, long readSeq) {
    return keyspace.flushedAt <= readSeq && lastInvalidated.get(stripe(keyspace, key)) <= readSeq;
  }

  private static int stripe(Keyspace keyspace, byte[] key) {
    int h = L1Key.hash(keyspace, key);
    return (h ^ (h >>> 16)) & (STRIPES - 1);
  }
}
