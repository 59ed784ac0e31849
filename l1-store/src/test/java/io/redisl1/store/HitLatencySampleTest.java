package io.redisl1.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The hit-latency sample: one lookup in {@link L1Store#HIT_TIMING_PERIOD} per thread, hits only. */
class HitLatencySampleTest {
  private static final int PERIOD = L1Store.HIT_TIMING_PERIOD;
  /** Each read of the clock moves it on by this much, so a timed lookup lasts a multiple of it. */
  private static final long STEP = 100;

  private final AtomicLong now = new AtomicLong();
  private final L1Store store = L1Store.create(L1Settings.of(1 << 20, 1024).withTicker(() -> now.addAndGet(STEP)));
  private final Scope scope = store.scope("127.0.0.1:6379", 0, "default");
  private final byte[] key = "k".getBytes(UTF_8);

  @Test
  void everyPeriodThLookupOfAThreadIsTimedWhenItHits() {
    store.timeHits(true);
    store.fill(scope, key, store.beginRead(), "v".getBytes(UTF_8), Duration.ofHours(1).toNanos());

    for (int i = 0; i < 3 * PERIOD + PERIOD / 2; i++) {
      assertNotNull(store.get(scope, key));
    }

    LatencyHistogram h = store.stats().hitLatency();
    assertEquals(3, h.count());
    assertEquals(3 * PERIOD + PERIOD / 2, store.stats().hits());
    // From the clock read that opens the lookup to the one that closes it: the deadline check's read
    // in between (a test ticker has no coarse clock), so two steps each.
    assertEquals(3 * 2 * STEP, h.sumNanos());
    assertEquals(32, h.upperBoundNanos(0));
    assertEquals(3, h.cumulative(3)); // 200 ns <= 256 ns
    assertEquals(0, h.cumulative(2));
  }

  @Test
  void aTimedLookupThatMissesRecordsNothing() {
    store.timeHits(true);
    for (int i = 0; i < 2 * PERIOD; i++) {
      assertNull(store.get(scope, key));
    }
    assertEquals(0, store.stats().hitLatency().count());
  }

  @Test
  void offByDefaultAndThenNoClockIsRead() {
    store.fill(scope, key, store.beginRead(), "v".getBytes(UTF_8), Duration.ofHours(1).toNanos());
    long readsBefore = now.get();
    for (int i = 0; i < 2 * PERIOD; i++) {
      assertNotNull(store.get(scope, key));
    }
    assertEquals(0, store.stats().hitLatency().count());
    // The deadline check is the only clock read left: one per hit.
    assertEquals(2 * PERIOD * STEP, now.get() - readsBefore);
  }

  @Test
  void eachThreadCountsItsOwnLookups() throws InterruptedException {
    store.timeHits(true);
    store.fill(scope, key, store.beginRead(), "v".getBytes(UTF_8), Duration.ofHours(1).toNanos());
    Runnable almostAPeriod = () -> {
      for (int i = 0; i < PERIOD - 1; i++) {
        store.get(scope, key);
      }
    };
    Thread a = new Thread(almostAPeriod);
    Thread b = new Thread(almostAPeriod);
    a.start();
    b.start();
    a.join();
    b.join();
    assertEquals(0, store.stats().hitLatency().count(), "2 × (period - 1) lookups, none a thread's period-th");
  }
}
