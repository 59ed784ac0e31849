package io.redisl1.store;

/**
 * How long a filled entry may be served: at most the rule's TTL, and never past the moment Redis
 * itself drops the key, less a safety margin.
 *
 * <p>The remaining TTL comes from a {@code PTTL} sent in the same write as the GET on the same
 * connection (right behind it on Jedis, right ahead of it on Lettuce). Redis ran that PTTL after
 * the write was made, so counting the remaining time from the GET's send (not from the reply's
 * arrival, which may be late by a slow reader or a GC pause) can only end the entry earlier than
 * Redis drops the key. The margin then only absorbs PTTL's truncation to whole milliseconds and
 * any difference in rate between Redis's clock and this JVM's over the entry's lifetime.
 *
 * <p>A PTTL ahead of the GET reads the key just before the GET does. Redis runs the commands of
 * one client's read buffer back to back, and both leave in one flush, so nothing runs between
 * them unless the pair is split across two of Redis's reads (a batch of many kilobytes): only
 * then could another client's EXPIRE or SET ... PX land between PTTL and GET unseen by the
 * clamp, and with {@code invalidation: tracking} its invalidation still drops the entry. A PTTL
 * that finds the key gone while the GET finds a value (or the other way round) caches nothing.
 */
public final class TtlClamp {
  /** PTTL's reply for a key that exists but has no expiry. */
  public static final long NO_EXPIRY = -1;
  /** PTTL's reply for a key that does not exist. */
  public static final long NO_KEY = -2;

  private TtlClamp() {}

  /**
   * The lifetime to give an entry, counted from now, or 0 (or less) for "do not cache".
   *
   * @param ruleTtlNanos the caching rule's TTL
   * @param pttlMillis the PTTL reply: milliseconds left, {@link #NO_EXPIRY} or {@link #NO_KEY}
   * @param nil whether the GET replied nil
   * @param marginNanos how long before Redis's own expiry the entry must be gone
   * @param sinceSentNanos time from the GET's send until now
   */
  public static long lifetimeNanos(
      long ruleTtlNanos, long pttlMillis, boolean nil, long marginNanos, long sinceSentNanos) {
    if (pttlMillis == NO_KEY) {
      // A nil is cached with the rule's TTL; a value whose key is gone by the PTTL was deleted or
      // expired right after the GET, so it is not cached.
      return nil ? ruleTtlNanos : 0;
    }
    if (nil) {
      return 0; // the key exists again by the PTTL: the nil is already out of date
    }
    if (pttlMillis == NO_EXPIRY) {
      return ruleTtlNanos;
    }
    if (pttlMillis < 0) {
      return 0; // not a PTTL reply this code knows
    }
    long untilRedisDrops = saturatedMillisToNanos(pttlMillis) - marginNanos - Math.max(0, sinceSentNanos);
    return Math.min(ruleTtlNanos, untilRedisDrops);
  }

  private static long saturatedMillisToNanos(long millis) {
    return millis > Long.MAX_VALUE / 1_000_000 ? Long.MAX_VALUE : millis * 1_000_000;
  }
}
