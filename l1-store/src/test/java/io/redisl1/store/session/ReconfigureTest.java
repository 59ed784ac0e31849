package io.redisl1.store.session;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisl1.store.KeyRule;
import io.redisl1.store.KeyRules;
import io.redisl1.store.L1Runtime;
import io.redisl1.store.L1Settings;
import io.redisl1.store.L1Store;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a reload does to what is cached, what is in flight and what is answered. */
class ReconfigureTest {
  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private L1Store store;
  private RedisSession session;

  @BeforeEach
  void start() {
    store = L1Store.create(L1Settings.of(1 << 20, 1 << 10).withTicker(clock::get));
    L1Runtime.start(store, rules(KeyRule.cached("user:", Duration.ofMinutes(10), false), KeyRule.cached("flag:", Duration.ofMinutes(10), true)));
    session = new RedisSession("10.0.0.1:6379", 0);
  }

  @Test
  void aRuleSwitchedOffStopsServingAtOnceAndItsEntriesAreDropped() {
    fill("user:1", "alice");
    fill("flag:1", "on");
    L1Runtime.reconfigure(rules(KeyRule.cached("flag:", Duration.ofMinutes(10), true)), false);

    assertNull(lookup("user:1"));
    assertNotNull(lookup("flag:1"), "the other rule's entries stay");
    assertEquals(1, store.estimatedEntries(), "the switched-off rule's entry is gone, not just hidden");
  }

  @Test
  void aGetSentBeforeItsRuleWasSwitchedOffDoesNotFillWhenItsReplyArrives() {
    Pending inFlight = session.sent(argv("GET", "user:1"));
    L1Runtime.reconfigure(rules(KeyRule.cached("flag:", Duration.ofMinutes(10), false)), false);
    inFlight.replied(bytes("alice"), false);

    assertEquals(0, store.estimatedEntries());
    L1Runtime.reconfigure(rules(KeyRule.cached("user:", Duration.ofMinutes(10), false)), false);
    assertNull(lookup("user:1"), "nothing was left behind to serve once the rule is back");
  }

  @Test
  void aNewRuleStartsCaching() {
    session.sent(argv("GET", "cart:1")).replied(bytes("3 items"), false);
    assertNull(lookup("cart:1"));

    L1Runtime.reconfigure(rules(KeyRule.cached("cart:", Duration.ofMinutes(1), false)), false);
    fill("cart:1", "3 items");
    assertEquals("3 items", value(lookup("cart:1")));
  }

  @Test
  void aShorterTtlClampsLiveEntriesFromTheirFillTimeAndAppliesToNewFills() {
    fill("user:1", "alice");
    clock.addAndGet(Duration.ofMinutes(3).toNanos());
    L1Runtime.reconfigure(rules(KeyRule.cached("user:", Duration.ofMinutes(5), false), KeyRule.cached("flag:", Duration.ofMinutes(10), true)), false);
    fill("user:2", "bob");

    clock.addAndGet(Duration.ofMinutes(2).toNanos() - 1);
    assertNotNull(lookup("user:1"), "filled 5 minutes ago less a tick");
    clock.addAndGet(1);
    assertNull(lookup("user:1"), "5 minutes after its fill, not 10");
    assertNotNull(lookup("user:2"));
    clock.addAndGet(Duration.ofMinutes(3).toNanos());
    assertNull(lookup("user:2"), "a new fill lives the new TTL");
  }

  @Test
  void aGetInFlightAcrossATtlChangeFillsWithTheNewTtl() {
    Pending inFlight = session.sent(argv("GET", "user:1"));
    L1Runtime.reconfigure(rules(KeyRule.cached("user:", Duration.ofSeconds(1), false)), false);
    inFlight.replied(bytes("alice"), false);

    clock.addAndGet(Duration.ofSeconds(1).toNanos());
    assertNull(lookup("user:1"));
  }

  @Test
  void aLongerTtlLeavesLiveEntriesAlone() {
    fill("user:1", "alice");
    L1Runtime.reconfigure(rules(KeyRule.cached("user:", Duration.ofHours(1), false)), false);
    clock.addAndGet(Duration.ofMinutes(10).toNanos());
    assertNull(lookup("user:1"));
  }

  @Test
  void cachedNilsGoWhenTheirRuleStopsCachingNil() {
    session.sent(argv("GET", "flag:none")).replied(null, false);
    assertTrue(lookup("flag:none").isNil());
    L1Runtime.reconfigure(rules(KeyRule.cached("flag:", Duration.ofMinutes(10), false)), false);
    assertNull(lookup("flag:none"));
    assertEquals(0, store.estimatedEntries());
  }

  @Test
  void aSmallerBudgetEvictsAndASmallerValueLimitDropsLargerValues() {
    for (int i = 0; i < 100; i++) {
      fill("user:" + i, "x".repeat(500));
    }
    store.cleanUp();
    long before = store.weightedSize();
    store.resize(before / 4, 1 << 10);
    store.cleanUp();
    assertTrue(store.weightedSize() <= before / 4, store.weightedSize() + " > " + before / 4);
    assertEquals(before / 4, store.maxMemoryBytes());

    store.resize(1 << 20, 100);
    assertEquals(0, store.estimatedEntries());
    assertFalse(store.fill(session.scope(), bytes("user:x"), store.beginRead(), new byte[200], 1_000_000_000L));
  }

  @Test
  void theSweepDropsWhatNoRuleCachesAnyMore() {
    fill("user:1", "alice");
    // As if a fill had raced the reload and landed after its walk over the entries.
    L1Runtime runtime = L1Runtime.current();
    L1Runtime.start(store, rules(KeyRule.cached("flag:", Duration.ofMinutes(1), false)));
    assertEquals(1, store.estimatedEntries());
    store.sweepExpired();
    assertEquals(0, store.estimatedEntries());
    assertNotNull(runtime);
  }

  @Test
  void observeModeNeverAnswersButCountsWhatItWouldHaveAnswered() {
    L1Runtime.reconfigure(current().rules(), true);
    L1Runtime runtime = current();
    assertNull(session.lookup(runtime, bytes("user:1")));
    fill("user:1", "alice");
    for (int i = 0; i < 3; i++) {
      assertNull(session.lookup(runtime, bytes("user:1")), "observe mode never answers");
    }
    assertArrayEquals(new long[] {4, 3}, runtime.observed("user:"));
    assertTrue(runtime.report().contains("'user:' would hit 75.0% (3 of 4 GETs, 3 round trips saved)"), runtime.report());

    session.sent(argv("SET", "user:1", "bob")).replied(bytes("OK"), false);
    assertNull(session.lookup(runtime, bytes("user:1")));
    assertArrayEquals(new long[] {5, 3}, runtime.observed("user:"), "a write invalidates in observe mode too");
  }

  @Test
  void observeModeKeepsALiveEntryAsAHitWouldHave() {
    L1Runtime.reconfigure(current().rules(), true);
    fill("user:1", "alice");
    clock.addAndGet(Duration.ofMinutes(6).toNanos());
    fill("user:1", "alice"); // the GET a hit would have saved: must not restart the TTL
    clock.addAndGet(Duration.ofMinutes(4).toNanos());

    L1Runtime.reconfigure(current().rules(), false);
    assertNull(lookup("user:1"), "expired 10 minutes after the first fill");
  }

  @Test
  void observedFiguresSurviveAReloadThatKeepsThePrefix() {
    L1Runtime.reconfigure(current().rules(), true);
    session.lookup(current(), bytes("user:1"));
    L1Runtime.reconfigure(rules(KeyRule.cached("user:", Duration.ofMinutes(1), false)), true);
    session.lookup(current(), bytes("user:1"));
    assertArrayEquals(new long[] {2, 0}, current().observed("user:"));
  }

  @Test
  void aFailedL1StaysOffThroughReloads() {
    L1Runtime.failed("a test", new RuntimeException("boom"));
    assertFalse(L1Runtime.reconfigure(rules(KeyRule.cached("user:", Duration.ofMinutes(1), false)), false));
    assertNull(L1Runtime.current());
  }

  @Test
  void theRuntimeIsReplacedWholeSoACommandSeesOneSetOfRules() {
    L1Runtime before = current();
    L1Runtime.reconfigure(rules(KeyRule.cached("user:", Duration.ofMinutes(1), false)), false);
    assertSame(store, current().store());
    assertTrue(before != current());
    assertNotNull(before.cachingRule(bytes("flag:1")), "a command holding the old runtime keeps its rules");
  }

  private void fill(String key, String value) {
    session.sent(argv("GET", key)).replied(bytes(value), false);
  }

  private io.redisl1.store.L1Entry lookup(String key) {
    return session.lookup(current(), bytes(key));
  }

  private static L1Runtime current() {
    return L1Runtime.current();
  }

  private static String value(io.redisl1.store.L1Entry entry) {
    return new String(entry.value(), UTF_8);
  }

  private static KeyRules rules(KeyRule... rules) {
    return KeyRules.of(List.of(rules));
  }

  private static byte[][] argv(String... args) {
    byte[][] argv = new byte[args.length][];
    for (int i = 0; i < args.length; i++) {
      argv[i] = bytes(args[i]);
    }
    return argv;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }
}
