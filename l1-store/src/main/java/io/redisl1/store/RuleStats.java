package io.redisl1.store;

import java.util.concurrent.atomic.LongAdder;

/**
 * What observe mode learns about one rule: the GETs it saw and how many of them the L1 would have
 * answered. Kept across reloads for as long as a rule with the same prefix exists.
 */
public final class RuleStats {
  private final LongAdder lookups = new LongAdder();
  private final LongAdder wouldHit = new LongAdder();

  public void looked(boolean hit) {
    lookups.increment();
    if (hit) {
      wouldHit.increment();
    }
  }

  /** GETs of keys under the rule that observe mode saw. */
  public long lookups() {
    return lookups.sum();
  }

  /** Of those, the ones the L1 would have answered: each a round trip saved. */
  public long wouldHit() {
    return wouldHit.sum();
  }
}
