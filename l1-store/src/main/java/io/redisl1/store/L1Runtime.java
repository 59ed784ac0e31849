package io.redisl1.store;

import io.redisl1.store.tracking.InvalidationChannels;
import java.util.ArrayList;
import java.util.List;

/**
 * The one L1 of this JVM as the client instrumentations see it: the store, the rules in force and
 * the mode. {@link #current()} is null whenever the agent must behave as plain pass-through: not
 * configured, or shut off after an internal failure.
 *
 * <p>A reload publishes a new, immutable runtime over the same store ({@link #reconfigure}), so a
 * command reads the rules through the one volatile read of {@link #current()} it makes anyway, and
 * a command sees either the old rules or the new ones, never a mix.
 */
public final class L1Runtime {
  private static volatile L1Runtime current;

  private final L1Store store;
  private final KeyRules rules;
  /** Null with {@code invalidation: ttl}: no channels to tell about connections. */
  private volatile InvalidationChannels channels;
  private final boolean observe;

  private L1Runtime(L1Store store, KeyRules rules, boolean observe) {
    this.store = store;
    this.rules = rules;
    this.observe = observe;
  }

  public static L1Runtime start(L1Store store, KeyRules rules) {
    return start(store, rules, false);
  }

  /** Starts the L1; in {@code observe} mode it never answers a GET but keeps all its bookkeeping. */
  public static synchronized L1Runtime start(L1Store store, KeyRules rules, boolean observe) {
    L1Runtime runtime = new L1Runtime(store, rules, observe);
    store.follow(rules, observe);
    current = runtime;
    return runtime;
  }

  /**
   * Puts new rules and mode in force over the same store: from the next command on, a rule turned
   * off serves nothing and fills nothing (also for GETs already sent), its entries are dropped, a
   * shorter TTL clamps the entries already cached. Does nothing once the L1 was shut off after a
   * failure.
   *
   * @return whether the new rules are in force
   */
  public static boolean reconfigure(KeyRules rules, boolean observe) {
    L1Runtime old;
    synchronized (L1Runtime.class) {
      old = current;
      if (old == null) {
        return false;
      }
      rules.keepStatsOf(old.rules);
      // The store checks fills against the new rules before anyone can look up under them.
      old.store.follow(rules, observe);
      L1Runtime next = new L1Runtime(old.store, rules, observe);
      next.channels = old.channels; // the channels outlive configurations: they track every key
      current = next;
    }
    // Outside the lock: a failure reported meanwhile must not wait for a walk over the cache.
    old.store.reconcile(old.rules, rules);
    return true;
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

  /** For a client's {@code String} key, which it sends as its UTF-8 bytes. */
  public KeyRule cachingRule(String key) {
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

  /**
   * The application reaches {@code endpoint} over TLS, with {@code factory} if the client exposes
   * one (null: the JVM's default); before its first connection is used.
   */
  public void usesTls(String endpoint, javax.net.ssl.SSLSocketFactory factory) {
    InvalidationChannels c = channels;
    if (c != null) {
      c.usesTls(endpoint, factory);
    }
  }

  /** Whether GETs are only observed (never answered from the L1). */
  public boolean observing() {
    return observe;
  }

  /**
   * Observe mode's figures for the rule with exactly {@code prefix}: {lookups, would-be hits}, or
   * null if no caching rule has that prefix. For tests and the periodic report.
   */
  public long[] observed(String prefix) {
    for (KeyRule rule : rules.rules()) {
      if (rule.cache() && rule.prefix().equals(prefix)) {
        return new long[] {rule.stats().lookups(), rule.stats().wouldHit()};
      }
    }
    return null;
  }

  /** One line for an operator: per rule in observe mode, the store's counters in cache mode. */
  public String report() {
    if (!observe) {
      return "cache mode: " + store.stats() + " entries=" + store.estimatedEntries()
          + " bytes=" + store.weightedSize();
    }
    List<String> parts = new ArrayList<>();
    for (KeyRule rule : rules.rules()) {
      if (rule.cache()) {
        long lookups = rule.stats().lookups();
        long hits = rule.stats().wouldHit();
        parts.add(String.format(
            "'%s' would hit %.1f%% (%d of %d GETs, %d round trips saved)",
            rule.prefix(), lookups == 0 ? 0.0 : 100.0 * hits / lookups, hits, lookups, hits));
      }
    }
    return "observe mode: " + (parts.isEmpty() ? "no caching rule" : String.join("; ", parts));
  }

  /**
   * Shuts the L1 off for good after a failure inside the agent, so that no entry whose freshness
   * was being tracked by the failed code can be served. The application carries on against Redis.
   */
  public static void failed(String where, Throwable t) {
    L1Runtime runtime;
    synchronized (L1Runtime.class) {
      runtime = current;
      current = null;
    }
    if (runtime != null) {
      L1Log.error(
          "internal failure in " + where + "; the L1 is off and every command goes to Redis: " + t);
    }
  }
}
