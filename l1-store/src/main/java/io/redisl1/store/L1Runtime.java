package io.redisl1.store;

/**
 * The one L1 of this JVM as the client instrumentations see it: the store and the rules in force.
 * {@link #current()} is null whenever the agent must behave as plain pass-through: not configured,
 * disabled, or shut off after an internal failure.
 */
public final class L1Runtime {
  private static volatile L1Runtime current;

  private final L1Store store;
  private final KeyRules rules;

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
