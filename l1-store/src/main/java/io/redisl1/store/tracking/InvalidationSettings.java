package io.redisl1.store.tracking;

import java.time.Duration;

/** How the L1 learns about writes made outside this JVM ({@code invalidation:} and friends). */
public final class InvalidationSettings {
  /**
   * Five canaries a second: a silently dead channel is found within four of them, and hits are
   * served no later than 800 ms after the last canary that came back ({@code max-staleness}).
   */
  public static final Duration DEFAULT_CANARY_INTERVAL = Duration.ofMillis(200);
  /** How long the first connection to a new endpoint waits for its channel before going on. */
  static final Duration FIRST_CONNECT_WAIT = Duration.ofSeconds(2);

  /** {@code invalidation:} values. */
  public enum Mode {
    /** One invalidation channel per endpoint; an endpoint serves only while it is confirmed. */
    TRACKING,
    /** No channel: writes from outside the JVM are seen when the rule's TTL runs out. */
    TTL
  }

  final Mode mode;
  final boolean required;
  final Duration canaryInterval;
  final Duration maxStaleness;
  /** Tests: skip HELLO 3 and use the RESP2 subscriber with REDIRECT, as for a RESP2-only server. */
  final boolean resp2Only;

  private InvalidationSettings(
      Mode mode, boolean required, Duration canaryInterval, Duration maxStaleness, boolean resp2Only) {
    if (canaryInterval.isNegative() || canaryInterval.toMillis() < 10) {
      throw new IllegalArgumentException("canary-interval must be at least 10ms: " + canaryInterval);
    }
    this.mode = mode;
    this.required = required;
    this.maxStaleness = maxStaleness == null ? canaryInterval.multipliedBy(LEASE_IN_INTERVALS) : maxStaleness;
    if (this.maxStaleness.compareTo(MIN_MAX_STALENESS) < 0) {
      throw new IllegalArgumentException("max-staleness must be at least " + MIN_MAX_STALENESS.toMillis() + "ms: " + maxStaleness);
    }
    // The bound is the promise: canaries come often enough for the lease to be renewed in time.
    Duration longest = this.maxStaleness.dividedBy(LEASE_IN_INTERVALS);
    this.canaryInterval = canaryInterval.compareTo(longest) > 0 ? longest : canaryInterval;
    this.resp2Only = resp2Only;
  }

  /** {@code max-staleness} defaults to this many canary intervals, and lowers the interval to keep it. */
  static final int LEASE_IN_INTERVALS = 4;
  public static final Duration MIN_MAX_STALENESS = Duration.ofMillis(10 * LEASE_IN_INTERVALS);

  public static InvalidationSettings of(Mode mode, boolean required, Duration canaryInterval) {
    return new InvalidationSettings(mode, required, canaryInterval, null, false);
  }

  /**
   * With {@code maxStaleness} null, {@link #LEASE_IN_INTERVALS} canary intervals; a canary interval
   * longer than a quarter of {@code maxStaleness} is shortened to that.
   */
  public static InvalidationSettings of(Mode mode, boolean required, Duration canaryInterval, Duration maxStaleness) {
    return new InvalidationSettings(mode, required, canaryInterval, maxStaleness, false);
  }

  public static InvalidationSettings defaults() {
    return of(Mode.TRACKING, false, DEFAULT_CANARY_INTERVAL);
  }

  InvalidationSettings resp2Only() {
    return new InvalidationSettings(mode, required, canaryInterval, maxStaleness, true);
  }

  public Mode mode() {
    return mode;
  }

  public boolean required() {
    return required;
  }

  public Duration canaryInterval() {
    return canaryInterval;
  }

  /**
   * The oldest a hit's value may be: hits of an endpoint are served only until this long after
   * the write time of the last canary that came back through its channel.
   */
  public Duration maxStaleness() {
    return maxStaleness;
  }

  /** The longest a silently dead channel can go unnoticed: see {@code InvalidationChannel#tick}. */
  public Duration detectionBound() {
    return canaryInterval.multipliedBy(4);
  }

  @Override
  public String toString() {
    return mode == Mode.TTL
        ? "invalidation: ttl"
        : "invalidation: tracking (canary every " + canaryInterval.toMillis() + "ms, max-staleness "
            + maxStaleness.toMillis() + "ms"
            + (required ? ", required" : "") + ")";
  }
}
