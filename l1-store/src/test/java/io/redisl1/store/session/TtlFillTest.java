package io.redisl1.store.session;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
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

/**
 * A GET fills only with its key's PTTL reply in hand, and its entry ends the margin before Redis
 * drops the key, counted from when the GET was sent. Time is a fake ticker.
 */
class TtlFillTest {
  private static final long MS = 1_000_000L;

  private final AtomicLong now = new AtomicLong(1_000 * MS);
  private L1Runtime runtime;
  private RedisSession session;

  @BeforeEach
  void start() {
    runtime =
        L1Runtime.start(
            L1Store.create(
                L1Settings.of(1 << 20, 1 << 10).withTicker(now::get).withTtlMargin(Duration.ofMillis(50))),
            KeyRules.of(
                List.of(
                    KeyRule.cached("user:", Duration.ofSeconds(60), false),
                    KeyRule.cached("flag:", Duration.ofSeconds(10), true))));
    session = new RedisSession("10.0.0.1:6379", 0);
    session.probesTtl();
  }

  @Test
  void anEntryEndsTheMarginBeforeRedisDropsTheKeyCountedFromTheSend() {
    Pending get = session.sent(argv("GET", "user:1"));
    Pending ttl = get.expectTtl();
    now.addAndGet(20 * MS); // the replies take 20 ms to arrive
    get.replied(bytes("v"), false);
    // Redis ran the PTTL after the send, so it drops the key no sooner than 300 ms after the send.
    ttl.replied(300L, false);

    assertNotNull(lookup("user:1"));
    now.addAndGet(229 * MS); // 249 ms after the send
    assertNotNull(lookup("user:1"));
    now.addAndGet(1 * MS); // 250 ms after the send: 300 - 50
    assertNull(lookup("user:1"));
  }

  @Test
  void aKeyWithoutExpiryGetsTheRuleTtl() {
    answer("user:1", bytes("v"), -1L);

    now.addAndGet(59_999 * MS);
    assertNotNull(lookup("user:1"));
    now.addAndGet(1 * MS);
    assertNull(lookup("user:1"));
  }

  @Test
  void aKeyExpiringWithinTheMarginIsNotCached() {
    answer("user:1", bytes("v"), 50L);
    assertNull(lookup("user:1"));
  }

  @Test
  void thePttlMayBeAnsweredFirst() {
    Pending get = session.sent(argv("GET", "user:1"));
    Pending ttl = get.expectTtl();
    ttl.replied(1_000L, false);
    get.replied(bytes("v"), false);

    assertNotNull(lookup("user:1"));
    now.addAndGet(950 * MS);
    assertNull(lookup("user:1"));
  }

  @Test
  void aGetWithoutPttlFillsNothing() {
    session.sent(argv("GET", "user:1")).replied(bytes("v"), false);
    assertNull(lookup("user:1"));
  }

  @Test
  void aClientThatCannotProbeFillsWithTheRuleTtlAlone() {
    RedisSession unprobed = new RedisSession("10.0.0.1:6379", 0);
    unprobed.sent(argv("GET", "user:9")).replied(bytes("v"), false);

    assertNotNull(unprobed.lookup(runtime, bytes("user:9")));
  }

  @Test
  void aRefusedOrLostPttlFillsNothing() {
    Pending get = session.sent(argv("GET", "user:1"));
    Pending ttl = get.expectTtl();
    get.replied(bytes("v"), false);
    ttl.replied("NOPERM this user has no permissions to run the 'pttl' command", true);
    assertNull(lookup("user:1"));

    get = session.sent(argv("GET", "user:2"));
    ttl = get.expectTtl();
    get.replied(bytes("v"), false);
    ttl.abandoned();
    assertNull(lookup("user:2"));
  }

  @Test
  void aGetErrorFillsNothingWhateverThePttlSays() {
    Pending get = session.sent(argv("GET", "user:1"));
    Pending ttl = get.expectTtl();
    get.replied("WRONGTYPE", true);
    ttl.replied(-1L, false);
    assertNull(lookup("user:1"));
  }

  @Test
  void aNilIsCachedWithTheRuleTtlOnlyUnderCacheNil() {
    answer("user:none", null, -2L);
    assertNull(lookup("user:none"));

    answer("flag:none", null, -2L);
    assertTrue(lookup("flag:none").isNil());
    now.addAndGet(10_000 * MS);
    assertNull(lookup("flag:none"));
  }

  @Test
  void aValueWhoseKeyIsGoneByThePttlIsNotCached() {
    answer("user:1", bytes("v"), -2L);
    assertNull(lookup("user:1"));
  }

  @Test
  void noPttlIsWantedWhereNothingWouldFill() {
    assertNull(session.sent(argv("GET", "other:1")).expectTtl(), "no rule");
    session.sent(argv("MULTI"));
    assertNull(session.sent(argv("GET", "user:1")).expectTtl(), "in MULTI");
    RedisSession selecting = new RedisSession("10.0.0.1:6379", 0);
    selecting.sent(argv("SELECT", "1"));
    assertNull(selecting.sent(argv("GET", "user:1")).expectTtl(), "scope change in flight");
  }

  private void answer(String key, byte[] value, long pttl) {
    Pending get = session.sent(argv("GET", key));
    Pending ttl = get.expectTtl();
    get.replied(value, false);
    ttl.replied(pttl, false);
  }

  private io.redisl1.store.L1Entry lookup(String key) {
    return session.lookup(runtime, bytes(key));
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
