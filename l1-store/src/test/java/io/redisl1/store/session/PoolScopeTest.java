package io.redisl1.store.session;

import static io.redisl1.store.session.TtlReplies.withTtl;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisl1.store.KeyRule;
import io.redisl1.store.KeyRules;
import io.redisl1.store.L1Runtime;
import io.redisl1.store.L1Settings;
import io.redisl1.store.L1Store;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * When a pool may answer a GET before borrowing a connection: only while every connection it
 * handed out is settled in the one scope the first of them had. Replies are handed in by hand, so
 * each state is exact; the Jedis pool test shows the same under the agent against Redis.
 */
class PoolScopeTest {
  private static final byte[] OK = bytes("OK");
  private static final byte[] KEY = bytes("user:1");

  private L1Runtime runtime;
  private PoolScope pool;
  private RedisSession first;
  private RedisSession second;

  @BeforeEach
  void start() {
    runtime =
        L1Runtime.start(
            L1Store.create(L1Settings.of(1 << 20, 1 << 10)),
            KeyRules.of(List.of(KeyRule.cached("user:", Duration.ofMinutes(1), false))));
    pool = new PoolScope();
    first = member();
    second = member();
    withTtl(first.sent(argv("GET", "user:1"))).replied(bytes("alice"), false);
  }

  private RedisSession member() {
    RedisSession s = new RedisSession("10.0.0.1:6379", 0);
    s.joinPool(pool);
    return s;
  }

  @Test
  void aPoolOfSettledMembersAnswersWhatTheyWould() {
    assertEquals("alice", new String(pool.lookup(runtime, KEY).value(), UTF_8));
    assertNull(pool.lookup(runtime, bytes("other:1")), "no rule caches it");
    assertNull(new PoolScope().lookup(runtime, KEY), "a pool no connection joined yet knows no scope");
  }

  @Test
  void aSelectOnOneMemberStopsThePoolFromItsSendingUntilTheMemberIsBack() {
    Pending select = second.sent(argv("SELECT", "1"));
    assertNull(pool.lookup(runtime, KEY), "unanswered SELECT: where that connection reads is unknown");
    select.replied(OK, false);
    assertNull(pool.lookup(runtime, KEY), "an idle connection of the pool now reads db 1");

    second.sent(argv("SELECT", "0")).replied(OK, false);
    assertTrue(pool.answering(), "back in the pool's scope");
    assertEquals("alice", new String(pool.lookup(runtime, KEY).value(), UTF_8));
  }

  @Test
  void aRefusedSelectLeavesThePoolAnswering() {
    second.sent(argv("SELECT", "99")).replied("ERR DB index is out of range", true);
    assertTrue(pool.answering());
  }

  @Test
  void aMemberInMultiHoldsThePoolUntilExecIsAnswered() {
    Pending multi = first.sent(argv("MULTI"));
    multi.replied(OK, false);
    assertNull(pool.lookup(runtime, KEY));
    first.sent(argv("EXEC")).replied(List.of(), false);
    assertTrue(pool.answering());
  }

  @Test
  void aDetachedMemberStopsThePool() {
    second.detach("a test");
    assertFalse(pool.answering());
    second.connected("10.0.0.1:6379");
    assertTrue(pool.answering(), "a reconnect in the same scope settles it again");
  }

  @Test
  void aMemberThatReconnectsElsewhereStopsThePool() {
    second.connected("10.0.0.2:6379");
    assertNull(pool.lookup(runtime, KEY), "a new connection of the pool would reach another server");
  }

  @Test
  void aMemberJoiningInAnotherScopeStopsThePool() {
    RedisSession elsewhere = new RedisSession("10.0.0.1:6379", 3);
    elsewhere.joinPool(pool);
    assertFalse(pool.answering());
  }

  @Test
  void aMemberWithAWriteInFlightDoesNotHoldThePool() {
    // Another thread's borrow would get an idle connection; the write invalidated the key as sent.
    Pending set = first.sent(argv("SET", "user:1", "bob"));
    assertTrue(pool.answering());
    assertNull(pool.lookup(runtime, KEY), "the write dropped the entry before it was sent");
    set.replied(OK, false);
  }

  @Test
  void observeModeNeverAnswersFromThePool() {
    L1Runtime.reconfigure(runtime.rules(), true);
    assertNull(pool.lookup(L1Runtime.current(), KEY), "the borrowed connection observes, exactly once");
  }

  private static byte[][] argv(String... words) {
    return Arrays.stream(words).map(PoolScopeTest::bytes).toArray(byte[][]::new);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }
}
