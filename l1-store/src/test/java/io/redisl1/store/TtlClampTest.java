package io.redisl1.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The lifetime arithmetic: min(rule TTL, remaining Redis TTL - margin - time since the GET was sent). */
class TtlClampTest {
  private static final long RULE = Duration.ofSeconds(60).toNanos();
  private static final long MARGIN = Duration.ofMillis(50).toNanos();

  @Test
  void aKeyWithoutExpiryGetsTheRuleTtl() {
    assertEquals(RULE, TtlClamp.lifetimeNanos(RULE, TtlClamp.NO_EXPIRY, false, MARGIN, 0));
  }

  @Test
  void aKeyExpiringLaterThanTheRuleTtlGetsTheRuleTtl() {
    assertEquals(RULE, TtlClamp.lifetimeNanos(RULE, 3_600_000, false, MARGIN, 0));
  }

  @Test
  void aKeyExpiringSoonerEndsTheMarginBeforeRedisDropsIt() {
    assertEquals(
        Duration.ofMillis(300 - 50).toNanos(), TtlClamp.lifetimeNanos(RULE, 300, false, MARGIN, 0));
  }

  @Test
  void theRemainingTtlCountsFromWhenTheGetWasSent() {
    long sinceSent = Duration.ofMillis(20).toNanos();
    assertEquals(
        Duration.ofMillis(300 - 50 - 20).toNanos(),
        TtlClamp.lifetimeNanos(RULE, 300, false, MARGIN, sinceSent));
  }

  @Test
  void aRemainingTtlWithinTheMarginIsNotCached() {
    assertTrue(TtlClamp.lifetimeNanos(RULE, 50, false, MARGIN, 0) <= 0);
    assertTrue(TtlClamp.lifetimeNanos(RULE, 49, false, MARGIN, 0) <= 0);
    assertTrue(TtlClamp.lifetimeNanos(RULE, 0, false, MARGIN, 0) <= 0);
    assertTrue(TtlClamp.lifetimeNanos(RULE, 60, false, MARGIN, Duration.ofMillis(10).toNanos()) <= 0);
  }

  @Test
  void aZeroMarginStillEndsNoLaterThanRedis() {
    assertEquals(Duration.ofMillis(300).toNanos(), TtlClamp.lifetimeNanos(RULE, 300, false, 0, 0));
  }

  @Test
  void aNilOfAMissingKeyGetsTheRuleTtl() {
    assertEquals(RULE, TtlClamp.lifetimeNanos(RULE, TtlClamp.NO_KEY, true, MARGIN, 0));
  }

  @Test
  void repliesThatDisagreeAreNotCached() {
    // The key was deleted or expired between the GET and the PTTL.
    assertTrue(TtlClamp.lifetimeNanos(RULE, TtlClamp.NO_KEY, false, MARGIN, 0) <= 0);
    // The key was created between them.
    assertTrue(TtlClamp.lifetimeNanos(RULE, TtlClamp.NO_EXPIRY, true, MARGIN, 0) <= 0);
    assertTrue(TtlClamp.lifetimeNanos(RULE, 5_000, true, MARGIN, 0) <= 0);
  }

  @Test
  void unknownNegativeRepliesAreNotCached() {
    assertTrue(TtlClamp.lifetimeNanos(RULE, -3, false, MARGIN, 0) <= 0);
  }

  @Test
  void hugeRemainingTtlsDoNotOverflow() {
    assertEquals(RULE, TtlClamp.lifetimeNanos(RULE, Long.MAX_VALUE, false, MARGIN, 0));
  }
}
