package io.redisl1.store.session;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisl1.store.KeyRule;
import io.redisl1.store.KeyRules;
import io.redisl1.store.L1Entry;
import io.redisl1.store.L1Runtime;
import io.redisl1.store.L1Settings;
import io.redisl1.store.L1Store;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Readers fill and look up on several threads while a reload switches a rule off and on hundreds
 * of times. A lookup made through a runtime whose rules do not cache the key never answers; once
 * the rule is finally off and the fills in flight are done, a sweep leaves none of its entries.
 * Bounded by a count of reloads, not by time.
 */
class ReloadUnderLoadTest {
  private static final KeyRules ON = KeyRules.of(List.of(
      KeyRule.cached("user:", Duration.ofMinutes(1), false), KeyRule.cached("flag:", Duration.ofMinutes(1), false)));
  private static final KeyRules OFF = KeyRules.of(List.of(KeyRule.cached("flag:", Duration.ofMinutes(1), false)));

  @Test
  void aRuleToggledUnderLoadNeverAnswersWhileOffAndLeavesNothingBehind() throws Exception {
    L1Store store = L1Store.create(L1Settings.of(8 << 20, 1 << 10));
    L1Runtime.start(store, ON);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong lookups = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> readers = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread reader = new Thread(() -> {
        RedisSession session = new RedisSession("10.0.0.1:6379", 0);
        try {
          for (long n = 0; !stop.get(); n++) {
            String key = (n % 2 == 0 ? "user:" : "flag:") + (n % 64);
            byte[] k = key.getBytes(UTF_8);
            L1Runtime runtime = L1Runtime.current();
            L1Entry entry = session.lookup(runtime, k);
            if (entry != null && runtime.cachingRule(k) == null) {
              throw new AssertionError("answered " + key + " under rules that do not cache it");
            }
            if (entry == null) {
              session.sent(new byte[][] {"GET".getBytes(UTF_8), k}).replied(("v" + n).getBytes(UTF_8), false);
            }
            lookups.incrementAndGet();
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      });
      reader.start();
      readers.add(reader);
    }
    for (int i = 0; i < 200 && failure.get() == null; i++) {
      assertTrue(L1Runtime.reconfigure(i % 2 == 0 ? OFF : ON, false));
      Thread.sleep(1);
    }
    L1Runtime.reconfigure(OFF, false);
    stop.set(true);
    for (Thread reader : readers) {
      reader.join();
    }
    assertNull(failure.get(), () -> "a reader failed: " + failure.get());
    assertTrue(lookups.get() > 1000, "the readers ran: " + lookups.get());

    store.sweepExpired();
    RedisSession probe = new RedisSession("10.0.0.1:6379", 0);
    L1Runtime.reconfigure(ON, false);
    for (int i = 0; i < 64; i++) {
      assertNull(probe.lookup(L1Runtime.current(), ("user:" + i).getBytes(UTF_8)), "user:" + i + " survived");
    }
    store.cleanUp();
    assertTrue(store.estimatedEntries() <= 64, "only flag: entries remain: " + store.estimatedEntries());
    assertEquals(0, store.stats().staleFillsRejected(), "no invalidation ran, so no fill was stale");
  }
}
