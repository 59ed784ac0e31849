package io.redisl1.store;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters an operator reads; each update is one striped increment, cheap enough for the hit path.
 * Hits, misses, fills and sizes are kept per rule ({@link RuleStats}); the totals here add them up
 * when read.
 */
public final class L1Stats {
  /** Keys no rule of {@link #rules} names: a store used without rules, as tests and benchmarks do. */
  final RuleStats unmatched = new RuleStats();
  volatile KeyRules rules = KeyRules.none();
  final LongAdder staleFillsRejected = new LongAdder();
  final LongAdder tooLarge = new LongAdder();
  final LongAdder invalidations = new LongAdder();
  /** {@link InvalidationSource#LOCAL_WRITE}, kept as a field for the store's own increments. */
  final LongAdder entriesInvalidated = new LongAdder();
  /** {@link InvalidationSource#FLUSH}, kept as a field for the store's own increments. */
  final LongAdder flushes = new LongAdder();
  private final LongAdder[] bySource = adders(InvalidationSource.values().length);
  /** GETs of cached keys that went to Redis: from sent to their reply (the miss path only). */
  private final LatencyHistogram missLatency = new LatencyHistogram();
  /** A sample of hits, one lookup in {@link L1Store#HIT_TIMING_PERIOD} per thread: 32 ns to 33 ms. */
  private final LatencyHistogram hitLatency = new LatencyHistogram(5, 25);
  private final LongAdder[] byBypass = adders(Bypass.values().length);
  private final LongAdder[] reloads = adders(ReloadResult.values().length);

  /**
   * What dropped cached entries. The key-by-key sources count entries actually dropped; the
   * wholesale ones count databases (keyspaces) flushed, each of which drops whatever it held.
   */
  public enum InvalidationSource {
    /** A write through this JVM's clients dropped the entry of its key. */
    LOCAL_WRITE("local_write"),
    /** Redis reported a write to the key on the invalidation channel (the app's own writes too). */
    INVALIDATION_CHANNEL("invalidation_channel"),
    /** FLUSHDB, FLUSHALL, SWAPDB or a write whose keys cannot be named, seen or reported. */
    FLUSH("flush"),
    /** The invalidation channel's connection was lost, or came back: its endpoint was flushed. */
    RECONNECT("reconnect"),
    /** The canary did not come back in time: the channel was given up and its endpoint flushed. */
    CANARY_FAILURE("canary_failure");

    private final String tag;

    InvalidationSource(String tag) {
      this.tag = tag;
    }

    /** The value of the {@code source} tag. */
    public String tag() {
      return tag;
    }
  }

  /**
   * Why a GET went to Redis without the L1 having been asked, or why its reply was not cached:
   * counted where the GET is sent to Redis anyway (never on a hit), one increment each.
   */
  public enum Bypass {
    /** No rule names the key's prefix. */
    NO_RULE("no_rule"),
    /** The key's rule says {@code cache: false}. */
    RULE_OFF("rule_off"),
    /** Inside MULTI: the reply comes with EXEC and reflects the transaction. */
    TRANSACTION("transaction"),
    /**
     * Commands that may change the reply were in flight on the connection (a pipeline, or a
     * write not answered yet).
     */
    COMMANDS_IN_FLIGHT("commands_in_flight"),
    /** A SELECT, AUTH or RESET was unanswered: where the GET runs was not known for sure. */
    SCOPE_CHANGING("scope_changing"),
    /** The connection lost request/reply pairing (pub/sub, MONITOR, a failed read...). */
    CONNECTION_DETACHED("connection_detached"),
    /** The endpoint's invalidation channel was not confirmed (not up yet, or reconnecting). */
    ENDPOINT_NOT_SERVING("endpoint_not_serving"),
    /** The reply was larger than max-value-size. */
    VALUE_TOO_LARGE("value_too_large");

    private final String tag;

    Bypass(String tag) {
      this.tag = tag;
    }

    /** The value of the {@code reason} tag. */
    public String tag() {
      return tag;
    }
  }

  private static LongAdder[] adders(int n) {
    LongAdder[] adders = new LongAdder[n];
    for (int i = 0; i < n; i++) {
      adders[i] = new LongAdder();
    }
    return adders;
  }

  /** Counts {@code count} entries (or keyspaces, for the wholesale sources) dropped by {@code source}. */
  public void invalidated(InvalidationSource source, long count) {
    adder(source).add(count);
  }

  /** Entries (or keyspaces) dropped by {@code source}; see {@link InvalidationSource}. */
  public long invalidated(InvalidationSource source) {
    return adder(source).sum();
  }

  private LongAdder adder(InvalidationSource source) {
    switch (source) {
      case LOCAL_WRITE:
        return entriesInvalidated;
      case FLUSH:
        return flushes;
      default:
        return bySource[source.ordinal()];
    }
  }

  /** Counts one GET that went to Redis for {@code reason}, or one reply not cached for it. */
  public void countBypass(Bypass reason) {
    adder(reason).increment();
  }

  /** GETs that went to Redis for {@code reason} (replies not cached, for value_too_large). */
  public long bypassed(Bypass reason) {
    return adder(reason).sum();
  }

  private LongAdder adder(Bypass reason) {
    return reason == Bypass.VALUE_TOO_LARGE ? tooLarge : byBypass[reason.ordinal()];
  }

  /** How a change of the configuration file ended. */
  public enum ReloadResult {
    /** Read, valid, and in force now. */
    APPLIED("applied"),
    /** Unreadable or invalid: the configuration in force was kept (one error line each). */
    REJECTED("rejected");

    private final String tag;

    ReloadResult(String tag) {
      this.tag = tag;
    }

    public String tag() {
      return tag;
    }
  }

  public void reloaded(ReloadResult result) {
    reloads[result.ordinal()].increment();
  }

  public long reloads(ReloadResult result) {
    return reloads[result.ordinal()].sum();
  }

  public RuleStats unmatched() {
    return unmatched;
  }

  public long hits() {
    long n = unmatched.hits();
    for (KeyRule rule : rules.rules()) {
      n += rule.stats().hits();
    }
    return n;
  }

  public long misses() {
    long n = unmatched.misses();
    for (KeyRule rule : rules.rules()) {
      n += rule.stats().misses();
    }
    return n;
  }

  public long fills() {
    long n = unmatched.puts();
    for (KeyRule rule : rules.rules()) {
      n += rule.stats().puts();
    }
    return n;
  }

  public long evictions() {
    long n = unmatched.evictions();
    for (KeyRule rule : rules.rules()) {
      n += rule.stats().evictions();
    }
    return n;
  }

  /** Replies not cached because a write or invalidation of their key came after the read began. */
  public long staleFillsRejected() {
    return staleFillsRejected.sum();
  }

  /** From sending a GET that may fill to its reply: what a miss costs, in buckets. */
  public LatencyHistogram missLatency() {
    return missLatency;
  }

  /**
   * A sample of hits (about one in {@link L1Store#HIT_TIMING_PERIOD} per thread, once {@link
   * L1Store#timeHits} was called): the store's lookup that found the entry, see {@link L1Store#get}.
   * Its count is the hits timed, not the hits.
   */
  public LatencyHistogram hitLatency() {
    return hitLatency;
  }

  /** Replies not cached because they were larger than max-value-size. */
  public long tooLarge() {
    return tooLarge.sum();
  }

  /** Keys invalidated by writes through this JVM's clients (each write invalidates before and after). */
  public long invalidations() {
    return invalidations.sum();
  }

  /** Cached entries those invalidations actually dropped. */
  public long entriesInvalidated() {
    return entriesInvalidated.sum();
  }

  /** Databases flushed (FLUSHDB, FLUSHALL, SWAPDB, writes whose keys cannot be named). */
  public long flushes() {
    return flushes.sum();
  }

  /** Hits over lookups, 0 when nothing was looked up. */
  public double hitRate() {
    long h = hits(), m = misses();
    return h + m == 0 ? 0 : (double) h / (h + m);
  }

  @Override
  public String toString() {
    return String.format(
        "hits=%d misses=%d hitRate=%.3f fills=%d staleFillsRejected=%d tooLarge=%d invalidations=%d flushes=%d",
        hits(), misses(), hitRate(), fills(), staleFillsRejected(), tooLarge(), invalidations(), flushes());
  }
}
