package io.redisl1.store;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Runs the store's hit path on a private store, once, on a daemon thread at start-up, so the JIT
 * has compiled it (lookup, key hashing, Caffeine's read, the deadline check, the hit counter) by the
 * time the application's first hits arrive, instead of interpreting them while the client's own
 * code warms up. The private store has the same settings, so Caffeine picks the same classes and
 * the compiled code fits the real store; it is dropped afterwards and touches nothing shared.
 */
public final class HitPathWarmup {
  /** Enough calls for the JIT's top tier (C2 compiles after about 10,000 invocations). */
  static final int HITS = 30_000;

  private HitPathWarmup() {}

  /** Starts the warm-up thread; never fails the caller. */
  public static void start(L1Settings settings) {
    try {
      Thread thread = new Thread(() -> run(settings), "redis-l1-warmup");
      thread.setDaemon(true);
      thread.setPriority(Thread.MIN_PRIORITY);
      thread.start();
    } catch (Throwable t) {
      // Only a warm-up: the hit path compiles as the application uses it.
    }
  }

  static long run(L1Settings settings) {
    long found = 0;
    try {
      L1Store store = L1Store.create(settings);
      store.timeHits(true); // the sampled lookups' branch compiled too, not left to deoptimise later
      KeyRules rules = KeyRules.of(List.of(KeyRule.cached("warmup:", Duration.ofMinutes(1), false)));
      Scope scope = store.scope("redis-l1-warmup:0", 0, "default");
      String text = "warmup:key";
      byte[] key = text.getBytes(StandardCharsets.UTF_8);
      store.fill(scope, key, store.beginRead(), new byte[100], Duration.ofMinutes(1).toNanos());
      // Both kinds of lookup, interleaved: the clients look String keys up unencoded, and code the
      // JIT compiled for byte keys alone would be recompiled (or left slower) when they arrive.
      for (int i = 0; i < HITS; i++) {
        boolean hit = i % 2 == 0
            ? rules.cachingRule(key) != null && store.get(scope, key) != null
            : rules.cachingRule(text) != null && store.get(scope, text) != null;
        if (hit) {
          found++;
        }
      }
    } catch (Throwable t) {
      // Only a warm-up.
    }
    return found;
  }
}
