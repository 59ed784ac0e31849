package io.redisl1.store;

/**
 * A cached reply. {@link #value()} is the raw reply bytes (null for a cached nil) and must never be
 * handed to an application, which could mutate it: clients decode or copy it.
 *
 * <p>Decoding the same bytes on every hit would allocate on the hit path, so an entry remembers one
 * decoded form together with the decoder that produced it. Clients may only remember immutable
 * values (a {@code String}), since the same object is returned to every caller.
 */
public final class L1Entry {
  final Scope scope;
  private final byte[] value;
  /** The read sequence number this entry was filled under; see {@link StaleFillGuard}. */
  final long readSeq;
  /** When the entry stops being served, on the store's ticker. */
  final long expiresAt;
  /** Where this entry's hits, and its removal, are counted: the stats of the rule that cached it. */
  final RuleStats stats;
  private volatile Decoded decoded;

  L1Entry(Scope scope, byte[] value, long readSeq, long expiresAt, RuleStats stats) {
    this.scope = scope;
    this.value = value;
    this.readSeq = readSeq;
    this.expiresAt = expiresAt;
    this.stats = stats;
  }

  /** The same entry with an earlier deadline (a reload shortened its rule's TTL). */
  L1Entry withDeadline(long deadline) {
    return new L1Entry(scope, value, readSeq, deadline, stats);
  }

  boolean isExpired(long now) {
    return expiresAt - now <= 0;
  }

  /** The raw reply bytes, or null for nil. Never to be mutated or handed out. */
  public byte[] value() {
    return value;
  }

  public boolean isNil() {
    return value == null;
  }

  /** The value {@code decoder} produced earlier from these bytes, or null. */
  public Object decodedBy(Object decoder) {
    Decoded d = decoded;
    return d != null && d.decoder == decoder ? d.value : null;
  }

  /** Remembers an immutable decoded form; a racing remember simply wins. */
  public void rememberDecoded(Object decoder, Object value) {
    decoded = new Decoded(decoder, value);
  }

  int weight(int keyLength, int overhead) {
    long w = (long) keyLength + (value == null ? 0 : value.length) + overhead;
    return (int) Math.min(Integer.MAX_VALUE, w);
  }

  private static final class Decoded {
    final Object decoder;
    final Object value;

    Decoded(Object decoder, Object value) {
      this.decoder = decoder;
      this.value = value;
    }
  }
}
