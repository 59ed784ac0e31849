package io.redisl1.store;

import java.util.Arrays;

/**
 * A cache key: the raw key bytes as sent on the wire, within one {@link Keyspace}. Mutable only so
 * that a per-thread probe can look entries up without allocating; stored keys are never mutated.
 */
final class L1Key {
  Keyspace keyspace;
  byte[] key;
  int hash;

  L1Key() {}

  L1Key(Keyspace keyspace, byte[] key) {
    set(keyspace, key);
  }

  L1Key set(Keyspace keyspace, byte[] key) {
    this.keyspace = keyspace;
    this.key = key;
    this.hash = hash(keyspace, key);
    return this;
  }

  static int hash(Keyspace keyspace, byte[] key) {
    return Arrays.hashCode(key) * 31 + keyspace.salt;
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof L1Key)) {
      return false;
    }
    L1Key other = (L1Key) o;
    return hash == other.hash && keyspace == other.keyspace && Arrays.equals(key, other.key);
  }
}
