package io.redisl1.store;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** How keys starting with one prefix are treated. */
public final class KeyRule {
  private final String prefix;
  private final byte[] prefixBytes;
  private final boolean cache;
  private final long ttlNanos;
  private final boolean cacheNil;
  /** Shared with the same prefix's rule of the previous configuration; set before publication. */
  private RuleStats stats = new RuleStats();

  private KeyRule(String prefix, boolean cache, Duration ttl, boolean cacheNil) {
    this.prefix = prefix;
    this.prefixBytes = prefix.getBytes(StandardCharsets.UTF_8);
    this.cache = cache;
    this.ttlNanos = ttl.toNanos();
    this.cacheNil = cacheNil;
  }

  public static KeyRule cached(String prefix, Duration ttl, boolean cacheNil) {
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive for prefix '" + prefix + "': " + ttl);
    }
    return new KeyRule(prefix, true, ttl, cacheNil);
  }

  public static KeyRule bypassed(String prefix) {
    return new KeyRule(prefix, false, Duration.ZERO, false);
  }

  public String prefix() {
    return prefix;
  }

  public boolean cache() {
    return cache;
  }

  public long ttlNanos() {
    return ttlNanos;
  }

  public boolean cacheNil() {
    return cacheNil;
  }

  /** What this rule's keys did in the store, and observe mode's figures for the prefix. */
  public RuleStats stats() {
    return stats;
  }

  void shareStats(RuleStats stats) {
    this.stats = stats;
  }

  /** Same prefix, same treatment: a reload that keeps this rule changes nothing for its keys. */
  public boolean sameAs(KeyRule other) {
    return prefix.equals(other.prefix)
        && cache == other.cache
        && ttlNanos == other.ttlNanos
        && cacheNil == other.cacheNil;
  }

  boolean matches(byte[] key) {
    if (key.length < prefixBytes.length) {
      return false;
    }
    for (int i = 0; i < prefixBytes.length; i++) {
      if (key[i] != prefixBytes[i]) {
        return false;
      }
    }
    return true;
  }

  /** As {@link #matches(byte[])} for the UTF-8 bytes of {@code key}, without encoding an ASCII key. */
  boolean matches(String key) {
    if (key.length() < prefixBytes.length) {
      // Fewer chars than prefix bytes: only a key with multi-byte chars can still be long enough.
      return !AsciiKeys.isAscii(key) && matches(key.getBytes(StandardCharsets.UTF_8));
    }
    for (int i = 0; i < prefixBytes.length; i++) {
      char c = key.charAt(i);
      if (c >= 0x80) {
        return matches(key.getBytes(StandardCharsets.UTF_8));
      }
      if (c != prefixBytes[i]) {
        return false; // also when the prefix byte is not ASCII: an ASCII byte never equals it
      }
    }
    return true;
  }

  int prefixLength() {
    return prefixBytes.length;
  }

  @Override
  public String toString() {
    return cache
        ? "'" + prefix + "' ttl=" + Duration.ofNanos(ttlNanos) + (cacheNil ? " cache-nil" : "")
        : "'" + prefix + "' not cached";
  }
}
