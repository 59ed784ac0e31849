package io.redisl1.store;

/**
 * A cached reply. {@link #value()} is the raw reply bytes (null for a cached nil) and must never be
 * handed to an application, which could mutate it: clients decode or copy it.
 *
 * <p>Decoding the same bytes on every hit would allocate on the hit path, so an entry may carry one
 * decoded {@code String} together with the decoder that produced it (immutable, so the same object
 * is returned to every caller). It is added by {@link L1Store#rememberDecoded}, which replaces the
 * entry with one that also carries the string and weighs it, so the byte budget counts it.
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
  /** Where the entry is mapped, so that a hit can replace it with its decoded form. */
  final L1Key key;
  private final Decoded decoded;

  L1Entry(L1Key key, Scope scope, byte[] value, long readSeq, long expiresAt, RuleStats stats) {
    this(key, scope, value, readSeq, expiresAt, stats, null);
  }

  private L1Entry(
      L1Key key, Scope scope, byte[] value, long readSeq, long expiresAt, RuleStats stats, Decoded decoded) {
    this.key = key;
    this.scope = scope;
    this.value = value;
    this.readSeq = readSeq;
    this.expiresAt = expiresAt;
    this.stats = stats;
    this.decoded = decoded;
  }

  /** The same entry with an earlier deadline (a reload shortened its rule's TTL). */
  L1Entry withDeadline(long deadline) {
    return new L1Entry(key, scope, value, readSeq, deadline, stats, decoded);
  }

  /** The same entry carrying {@code value}, what {@code decoder} made of its bytes. */
  L1Entry withDecoded(Object decoder, String value) {
    return new L1Entry(key, scope, this.value, readSeq, expiresAt, stats, new Decoded(decoder, value));
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

  boolean hasDecoded() {
    return decoded != null;
  }

  /**
   * The estimated bytes this entry holds: key, value and the fixed overhead, plus a decoded string
   * at its largest (two bytes a character, as a string with any non-Latin-1 character stores them;
   * {@link #DECODED_OVERHEAD} for the string, its array and the holder).
   */
  int weight(int keyLength, int overhead) {
    long w = (long) keyLength + (value == null ? 0 : value.length) + overhead;
    if (decoded != null) {
      w += DECODED_OVERHEAD + 2L * ((String) decoded.value).length();
    }
    return (int) Math.min(Integer.MAX_VALUE, w);
  }

  static final int DECODED_OVERHEAD = 64;

  private static final class Decoded {
    final Object decoder;
    final Object value;

    Decoded(Object decoder, Object value) {
      this.decoder = decoder;
      this.value = value;
    }
  }
}
