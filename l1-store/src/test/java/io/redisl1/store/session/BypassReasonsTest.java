package io.redisl1.store.session;

import static io.redisl1.store.session.TtlReplies.withTtl;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.redisl1.store.KeyRule;
import io.redisl1.store.KeyRules;
import io.redisl1.store.L1Runtime;
import io.redisl1.store.L1Settings;
import io.redisl1.store.L1Stats;
import io.redisl1.store.L1Stats.Bypass;
import io.redisl1.store.L1Store;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each GET that goes to Redis without the L1 being asked is counted once, under its reason. */
class BypassReasonsTest {
  private static final byte[] OK = bytes("OK");
  private static final KeyRules RULES =
      KeyRules.of(
          List.of(
              KeyRule.cached("user:", Duration.ofMinutes(1), false),
              KeyRule.bypassed("session:")));

  private L1Store store;
  private RedisSession session;

  @BeforeEach
  void start() {
    store = L1Store.create(L1Settings.of(1 << 20, 16));
    L1Runtime.start(store, RULES);
    session = new RedisSession("10.0.0.1:6379", 0);
  }

  @Test
  void eachReasonIsCountedOnceAndAPlainMissNotAtAll() {
    get(session, "user:1", "plain miss"); // then a hit: neither is a bypass
    session.lookup(L1Runtime.current(), bytes("user:1"));
    assertCounts(Map.of());

    get(session, "other:1", "v");
    get(session, "session:1", "v");
    assertCounts(Map.of(Bypass.NO_RULE, 1L, Bypass.RULE_OFF, 1L));

    session.sent(argv("MULTI")).replied(OK, false);
    withTtl(session.sent(argv("GET", "user:2"))).replied(bytes("QUEUED"), false);
    session.sent(argv("EXEC")).replied(List.of(bytes("v")), false);
    Pending set = session.sent(argv("SET", "user:3", "v"));
    get(session, "user:3", "v"); // pipelined behind the unanswered SET
    set.replied(OK, false);
    Pending select = session.sent(argv("SELECT", "1"));
    get(session, "user:4", "v");
    select.replied(OK, false);
    get(session, "user:big", "more than sixteen bytes");
    assertCounts(Map.of(Bypass.NO_RULE, 1L, Bypass.RULE_OFF, 1L, Bypass.TRANSACTION, 1L,
        Bypass.COMMANDS_IN_FLIGHT, 1L, Bypass.SCOPE_CHANGING, 1L, Bypass.VALUE_TOO_LARGE, 1L));

    session.detach("a test");
    get(session, "user:5", "v");
    assertEquals(1, store.stats().bypassed(Bypass.CONNECTION_DETACHED));
  }

  @Test
  void anEndpointWaitingForItsChannelCountsAsNotServing() {
    store.watchEndpoints(state -> {}); // nobody confirms it: it never serves
    RedisSession waiting = new RedisSession("10.0.0.2:6379", 0);

    get(waiting, "user:1", "v");

    assertEquals(1, store.stats().bypassed(Bypass.ENDPOINT_NOT_SERVING));
  }

  @Test
  void observeModeCountsNoBypass() {
    L1Runtime.start(store, RULES, true);

    get(session, "other:1", "v");

    assertEquals(0, store.stats().bypassed(Bypass.NO_RULE));
  }

  private void assertCounts(Map<Bypass, Long> expected) {
    L1Stats stats = store.stats();
    Map<Bypass, Long> actual = new EnumMap<>(Bypass.class);
    Map<Bypass, Long> wanted = new EnumMap<>(Bypass.class);
    for (Bypass reason : Bypass.values()) {
      actual.put(reason, stats.bypassed(reason));
      wanted.put(reason, expected.getOrDefault(reason, 0L));
    }
    assertEquals(wanted, actual);
  }

  private static void get(RedisSession on, String key, String reply) {
    withTtl(on.sent(argv("GET", key))).replied(bytes(reply), false);
  }

  private static byte[][] argv(String... words) {
    byte[][] argv = new byte[words.length][];
    for (int i = 0; i < words.length; i++) {
      argv[i] = bytes(words[i]);
    }
    return argv;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }
}
