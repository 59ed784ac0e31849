package io.redisl1.store;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the L1 may do for one Redis endpoint (resolved {@code ip:port}) as a whole: whether its
 * entries may be served and filled at all. Every {@link Keyspace} of the endpoint points here, so
 * the hit path pays one volatile read for it.
 *
 * <p>With {@code invalidation: tracking} an endpoint serves only while its invalidation channel is
 * confirmed: a write from outside the JVM is then known to reach the L1 within the channel's
 * latency. While the channel is not yet up, down or reconnecting, nothing is served or filled, and
 * the endpoint is flushed before it serves again (see {@code io.redisl1.store.tracking}).
 */
public final class EndpointState {
  private final String endpoint;
  private final List<Keyspace> keyspaces = new CopyOnWriteArrayList<>();
  /** Read on every hit and fill. */
  volatile boolean serving;
  /**
   * Read on every hit: the {@code System.nanoTime()} until which hits may be served, renewed by
   * each proof that the invalidation channel delivers ({@link #provenFreshAt}). Far ahead of now
   * for an endpoint without a channel.
   */
  volatile long servesUntil;

  EndpointState(String endpoint, boolean serving) {
    this.endpoint = endpoint;
    this.serving = serving;
    this.servesUntil = farAhead();
  }

  public String endpoint() {
    return endpoint;
  }

  /** Whether hits are served now: serving, and within the lease of the last proof (exact time). */
  public boolean serving() {
    return serving && servesUntil - System.nanoTime() > 0;
  }

  /**
   * Every invalidation for a write that Redis applied before {@code sentAt} (a {@code
   * System.nanoTime()}) has been applied here: the channel's canary written at {@code sentAt} came
   * back through it, after them. Hits may then be served until {@code sentAt + maxStalenessNanos},
   * so that no hit answers with a value older than that bound, however the channel stalls; the next
   * proof extends it (one canary is out at a time, so proofs come in the order they were sent).
   */
  public void provenFreshAt(long sentAt, long maxStalenessNanos) {
    servesUntil = sentAt + maxStalenessNanos;
  }

  /**
   * Stops serving and filling, then drops every entry: what was cached may have missed an
   * invalidation. Reads already on the wire cannot fill afterwards (their tokens predate the flush).
   * The flush is counted under {@code why}.
   */
  public void stopServing(L1Store store, L1Stats.InvalidationSource why) {
    serving = false;
    store.flushEndpoint(this, why);
  }

  /**
   * Flushes, then serves again: entries filled before now may have missed invalidations, reads
   * that begin from now on are covered by a confirmed channel. Counted as a reconnect flush.
   */
  public void startServing(L1Store store) {
    store.flushEndpoint(this, L1Stats.InvalidationSource.RECONNECT);
    serving = true;
  }

  /** Serves with no channel behind it: freshness is bounded by the rules' TTLs only. */
  public void serveWithoutChannel() {
    servesUntil = farAhead();
    serving = true;
  }

  /** A lease that does not run out: ~146 years ahead, still safe to compare by subtraction. */
  private static long farAhead() {
    return System.nanoTime() + (1L << 62);
  }

  List<Keyspace> keyspaces() {
    return keyspaces;
  }

  @Override
  public String toString() {
    return endpoint;
  }
}
