package io.redisl1.store.tracking;

/**
 * What an operator sees of one endpoint's invalidation channel at one moment: its state, how
 * often it was confirmed and lost, and what its canary measured. Times are in nanoseconds; a last
 * value of -1 means none was measured yet.
 *
 * <p>The canary is a write to a reserved key, made every canary interval on the channel's own
 * connection. Its round trip runs from that write being sent to Redis answering it; its staleness
 * from the write being sent to its invalidation arriving on the channel, which bounds how long an
 * entry written elsewhere at that moment could still be answered from this L1.
 */
public final class ChannelStatus {
  /** Not confirmed yet: the endpoint serves nothing from the L1 until it is. */
  public static final String CONNECTING = "connecting";
  /** Confirmed by a canary that came back through the channel: the endpoint serves. */
  public static final String CONFIRMED = "confirmed";
  /** Confirmed, but the canary cannot be written (ACL, replica): only a PING proves it alive. */
  public static final String CONFIRMED_PING_ONLY = "confirmed_ping_only";
  /** Was confirmed, then lost: flushed, serving nothing until it is confirmed again. */
  public static final String RECONNECTING = "reconnecting";
  /**
   * No channel can exist (not TCP, tracking refused, a TLS certificate the channel cannot trust):
   * TTLs alone, or uncached if required.
   */
  public static final String NO_CHANNEL = "no_channel";
  /** Stopped (tests). */
  public static final String CLOSED = "closed";

  private final String endpoint;
  private final String state;
  private final boolean everConfirmed;
  private final String withoutChannelBecause;
  private final long confirmations;
  private final long losses;
  private final long invalidationsReceived;
  private final long canaryReplies;
  private final long canaryRoundTripNanos;
  private final long lastRoundTripNanos;
  private final long canariesBack;
  private final long canaryStalenessNanos;
  private final long lastStalenessNanos;

  ChannelStatus(String endpoint, String state, boolean everConfirmed, String withoutChannelBecause,
      long confirmations, long losses, long invalidationsReceived, long canaryReplies,
      long canaryRoundTripNanos, long lastRoundTripNanos, long canariesBack, long canaryStalenessNanos,
      long lastStalenessNanos) {
    this.endpoint = endpoint;
    this.state = state;
    this.everConfirmed = everConfirmed;
    this.withoutChannelBecause = withoutChannelBecause;
    this.confirmations = confirmations;
    this.losses = losses;
    this.invalidationsReceived = invalidationsReceived;
    this.canaryReplies = canaryReplies;
    this.canaryRoundTripNanos = canaryRoundTripNanos;
    this.lastRoundTripNanos = lastRoundTripNanos;
    this.canariesBack = canariesBack;
    this.canaryStalenessNanos = canaryStalenessNanos;
    this.lastStalenessNanos = lastStalenessNanos;
  }

  static ChannelStatus without(String endpoint, String why) {
    return new ChannelStatus(endpoint, NO_CHANNEL, false, why, 0, 0, 0, 0, 0, -1, 0, 0, -1);
  }

  /** The endpoint ({@code ip:port}) as the application's connections name it. */
  public String endpoint() {
    return endpoint;
  }

  /** One of {@link #CONNECTING}, {@link #CONFIRMED}, {@link #CONFIRMED_PING_ONLY}, {@link #RECONNECTING}, {@link #NO_CHANNEL}, {@link #CLOSED}. */
  public String state() {
    return state;
  }

  /** Whether the channel serves its endpoint now. */
  public boolean confirmed() {
    return CONFIRMED.equals(state) || CONFIRMED_PING_ONLY.equals(state);
  }

  /** Whether the channel was confirmed at least once since the endpoint was first seen. */
  public boolean everConfirmed() {
    return everConfirmed;
  }

  /** Why the endpoint has no channel, or null. */
  public String withoutChannelBecause() {
    return withoutChannelBecause;
  }

  public long confirmations() {
    return confirmations;
  }

  public long losses() {
    return losses;
  }

  /** Invalidation messages received (each may name several keys, or none for a flush). */
  public long invalidationsReceived() {
    return invalidationsReceived;
  }

  /** Canary writes answered by Redis. */
  public long canaryReplies() {
    return canaryReplies;
  }

  /** Their round trips, added up. */
  public long canaryRoundTripNanos() {
    return canaryRoundTripNanos;
  }

  public long lastRoundTripNanos() {
    return lastRoundTripNanos;
  }

  /** Canary invalidations received through the channel. */
  public long canariesBack() {
    return canariesBack;
  }

  /** Their write-to-invalidation times, added up. */
  public long canaryStalenessNanos() {
    return canaryStalenessNanos;
  }

  public long lastStalenessNanos() {
    return lastStalenessNanos;
  }
}
