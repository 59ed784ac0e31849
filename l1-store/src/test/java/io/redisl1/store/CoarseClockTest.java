package io.redisl1.store;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The hit path's clock: it publishes System.nanoTime() and never runs ahead of it, and an entry
 * near its deadline is checked on the exact clock, so it ends on time even though the published
 * time lags.
 */
class CoarseClockTest {
  @Test
  void thePublishedTimeFollowsTheRealClockAndNeverRunsAheadOfIt() throws InterruptedException {
    CoarseClock clock = CoarseClock.get();
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (clock.now() == CoarseClock.EXACT && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    long published = clock.now();
    assertNotEquals(CoarseClock.EXACT, published, "the clock thread publishes within seconds");
    assertTrue(published - System.nanoTime() <= 0, "never ahead of System.nanoTime()");
    Thread.sleep(50);
    assertTrue(clock.now() - published > 0, "it moves on");
  }

  @Test
  void anEntryWithinTheTrustWindowEndsOnTheExactClock() throws InterruptedException {
    L1Store store = L1Store.create(L1Settings.of(1 << 20, 1 << 10));
    Scope scope = store.scope("10.0.0.1:6379", 0, "default");
    byte[] key = "user:1".getBytes(StandardCharsets.UTF_8);
    // 30 ms is well inside the 1 s window: the coarse clock (10 ms ticks) alone could serve it late.
    store.fill(scope, key, store.beginRead(), new byte[] {1}, Duration.ofMillis(30).toNanos());
    assertNotNull(store.get(scope, key));
    long filled = System.nanoTime();
    while (System.nanoTime() - filled < Duration.ofMillis(31).toNanos()) {
      Thread.onSpinWait();
    }
    assertNull(store.get(scope, key), "gone at its deadline, whatever the published time says");
  }
}
