package io.redisl1.store;

import io.redisl1.store.tracking.InvalidationChannels;

/**
 * The one L1 of this JVM as the client instrumentations see it: the store and the rules in force.
 * {@link #current()} is null whenever the agent must behave as plain pass-through: not configured,
 * disabled, or shut off after an internal failure.
 */
public final class L1Runtime {
  private static volatile L1Runtime current;

  private final L1Store store;
  private final KeyRules rules;
  /** Null with {@code invalidation: ttl}: no channels to tell about connections. */
  private volatile InvalidationChannels channels;

  private L1Runtime(L1Store store, KeyRules rules) {
    this.store = store;
    this.rules = rules;
  }

  public static L1Runtime start(L1Store store, KeyRules rules) {
    store.countBy(rules);
    L1Runtime runtime = new L1Runtime(store, rules);
    current = runtime;
    return runtime;
  }

  /** The active L1, or null for pass-through. Read once per command and keep the reference. */
  public static L1Runtime current() {
    return current;
  }

  public L1Store store() {
    return store;
  }

  /** The rule that caches {@code key}, or null. */
  public KeyRule cachingRule(byte[] key) {
    return rules.cachingRule(key);
  }

  public KeyRules rules() {
    return rules;
  }

  /** The invalidation channels the instrumentations report connections to. */
  public void invalidationChannels(InvalidationChannels channels) {
    this.channels = channels;
  }

  /**
   * The application authenticated a connection to {@code endpoint} as {@code user} with {@code
   * password}: the invalidation channel to that endpoint authenticates the same way. Never logged.
   */
  public void authenticated(String endpoint, String user, byte[] password) {
    InvalidationChannels c = channels;
    if (c != null) {
      c.authenticated(endpoint, user, password);
    }
  }

  /** The application reaches {@code endpoint} over TLS; before its first connection is used. */
  public void usesTls(String endpoint) {
    InvalidationChannels c = channels;
    if (c != null) {
      c.usesTls(endpoint);
    }
  }

  /**
   * Shuts the L1 off for good after a failure inside the agent, so that no entry whose freshness
   * was being tracked by the failed code can be served. The application carries on against Redis.
   */
  public static void failed(String where, Throwable t) {
    L1Runtime runtime = current;
    current = null;
    if (runtime != null) {
      L1Log.error(
          "internal failure in " + where + "; the L1 is off and every command goes to Redis: " + t);
    }
  }
}
