package io.redisl1.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The warm-up really runs the hit path: every one of its lookups is a hit on its private store. */
class HitPathWarmupTest {
  @Test
  void everyWarmUpLookupIsAHit() {
    assertEquals(HitPathWarmup.HITS, HitPathWarmup.run(L1Settings.of(1 << 20, 1 << 10)));
  }
}
