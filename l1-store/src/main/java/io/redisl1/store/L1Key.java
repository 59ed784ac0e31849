package io.redisl1.store;

import java.util.Arrays;

/**
 * A cache key: the raw key bytes as sent on the wire, within one {@link Keyspace}. Mutable only so
 * that a per-thread probe can look entries up without allocating; stored keys are never mutated.
 *
 * <p>A probe may instead hold a {@code String} of ASCII characters ({@link #setAscii}), whose UTF-8
 * bytes are its characters: it hashes and compares equal to the stored key of those bytes, so a
 * client's {@code String} key is looked up without being encoded. Stored keys are always bytes.
 */
final class L1Key {
  Keyspace keyspace;
  byte[] key;
  /** Only on a probe: an ASCII key standing for its bytes, {@link #key} then null. */
  String text;
  int hash;

  L1Key() {}

  L1Key(Keyspace keyspace, byte[] key) {
    set(keyspace, key);
  }

  L1Key set(Keyspace keyspace, byte[] key) {
    this.keyspace = keyspace;
    this.key = key;
    this.text = null;
    this.hash = hash(keyspace, key);
    return this;
  }

  /**
   * Probes for {@code text} as the bytes it encodes to, if it is all ASCII; false, and this probe
   * unchanged, for any other string (the caller encodes it).
   */
  boolean setAscii(Keyspace keyspace, String text) {
    int h = 1;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= 0x80) {
        return false;
      }
      h = 31 * h + c; // as Arrays.hashCode(byte[]) over the same bytes
    }
    this.keyspace = keyspace;
    this.key = null;
    this.text = text;
    this.hash = h * 31 + keyspace.salt;
    return true;
  }

  /** Drops the probe's reference to the key it looked up. */
  void clear() {
    key = null;
    text = null;
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
    if (hash != other.hash || keyspace != other.keyspace) {
      return false;
    }
    if (text == null && other.text == null) {
      return Arrays.equals(key, other.key);
    }
    if (text != null && other.text != null) {
      return text.equals(other.text);
    }
    return text != null ? sameAscii(text, other.key) : sameAscii(other.text, key);
  }

  private static boolean sameAscii(String text, byte[] bytes) {
    if (bytes == null || bytes.length != text.length()) {
      return false;
    }
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] != text.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
