package io.redisl1.store.tracking;

import java.time.Duration;

/** How the L1 learns about writes made outside this JVM ({@code invalidation:} and friends). */
public final class InvalidationSettings {
  /** Five canaries a second: a silently dead channel is found within four of them (800 ms). */
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
  /** Tests: skip HELLO 3 and use the RESP2 subscriber with REDIRECT, as for a RESP2-only server. */
  final boolean resp2Only;

  private InvalidationSettings(Mode mode, boolean required, Duration canaryInterval, boolean resp2Only) {
    if (canaryInterval.isNegative() || canaryInterval.toMillis() < 10) {
      throw new IllegalArgumentException("canary-interval must be at least 10ms: " + canaryInterval);
    }
    this.mode = mode;
    this.required = required;
    this.canaryInterval = canaryInterval;
    this.resp2Only = resp2Only;
  }

  public static InvalidationSettings of(Mode mode, boolean required, Duration canaryInterval) {
    return new InvalidationSettings(mode, required, canaryInterval, false);
  }

  public static InvalidationSettings defaults() {
    return of(Mode.TRACKING, false, DEFAULT_CANARY_INTERVAL);
  }

  InvalidationSettings resp2Only() {
    return new InvalidationSettings(mode, required, canaryInterval, true);
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

  /** The longest a silently dead channel can go unnoticed: see {@code InvalidationChannel#tick}. */
  public Duration detectionBound() {
    return canaryInterval.multipliedBy(4);
  }

  @Override
  public String toString() {
    return mode == Mode.TTL
        ? "invalidation: ttl"
        : "invalidation: tracking (canary every " + canaryInterval.toMillis() + "ms"
            + (required ? ", required" : "") + ")";
  }
}
