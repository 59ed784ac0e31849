package io.redisl1.store.session;

import static io.redisl1.store.session.TtlReplies.withTtl;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How a session turns commands and replies into cache operations. Replies are handed in by hand
 * here, so every interleaving is deterministic; the integration tests show the same against Redis.
 */
class RedisSessionTest {
  private static final byte[] OK = bytes("OK");

  private L1Runtime runtime;
  private RedisSession session;

  @BeforeEach
  void start() {
    runtime =
        L1Runtime.start(
            L1Store.create(L1Settings.of(1 << 20, 1 << 10)),
            KeyRules.of(List.of(KeyRule.cached("user:", Duration.ofMinutes(1), false))));
    session = new RedisSession("10.0.0.1:6379", 0);
  }

  @Test
  void aGetReplyFillsAndTheNextLookupHits() {
    assertNull(session.lookup(runtime, bytes("user:1")));
    withTtl(session.sent(argv("GET", "user:1"))).replied(bytes("alice"), false);

    assertEquals("alice", new String(session.lookup(runtime, bytes("user:1")).value(), UTF_8));
  }

  @Test
  void theFilledBytesAreACopyOfTheReply() {
    byte[] reply = bytes("alice");
    withTtl(session.sent(argv("GET", "user:1"))).replied(reply, false);
    reply[0] = 'X';

    assertEquals("alice", new String(session.lookup(runtime, bytes("user:1")).value(), UTF_8));
  }

  @Test
  void aGetWhoseReplyArrivesAfterAWriteDoesNotFill() {
    Pending get = withTtl(session.sent(argv("GET", "user:1")));
    RedisSession other = new RedisSession("10.0.0.1:6379", 0);
    other.sent(argv("SET", "user:1", "new")).replied(OK, false);
    get.replied(bytes("old"), false);

    assertNull(session.lookup(runtime, bytes("user:1")));
  }

  @Test
  void aWriteInvalidatesWhenSentAndAgainWhenItsReplyArrives() {
    withTtl(session.sent(argv("GET", "user:1"))).replied(bytes("v1"), false);
    Pending set = session.sent(argv("SET", "user:1", "v2"));
    assertNull(session.lookup(runtime, bytes("user:1")), "gone as soon as the write is sent");

    // Another connection reads the old value while the SET is still on its way.
    RedisSession reader = new RedisSession("10.0.0.1:6379", 0);
    withTtl(reader.sent(argv("GET", "user:1"))).replied(bytes("v1"), false);
    set.replied(OK, false);

    assertNull(reader.lookup(runtime, bytes("user:1")), "the reply's invalidation removed the old value");
  }

  @Test
  void errorRepliesAreNotCached() {
    withTtl(session.sent(argv("GET", "user:list"))).replied(null, true);
    assertNull(session.lookup(runtime, bytes("user:list")));
  }

  @Test
  void selectChangesTheScopeOnlyOnceRedisAcceptedIt() {
    withTtl(session.sent(argv("GET", "user:1"))).replied(bytes("db0"), false);

    Pending refused = session.sent(argv("SELECT", "99"));
    refused.replied(null, true);
    assertEquals(0, session.db());
    assertNotNull(session.lookup(runtime, bytes("user:1")));

    Pending select = session.sent(argv("SELECT", "1"));
    assertEquals(0, session.db(), "not yet accepted");
    select.replied(OK, false);
    assertEquals(1, session.db());
    assertNull(session.lookup(runtime, bytes("user:1")), "db 1 has its own entries");
  }

  @Test
  void authChangesTheUserAndWithItTheScope() {
    withTtl(session.sent(argv("GET", "user:1"))).replied(bytes("v"), false);
    session.sent(argv("AUTH", "alice", "pw")).replied(OK, false);

    assertEquals("alice", session.user());
    assertNull(session.lookup(runtime, bytes("user:1")));
  }

  @Test
  void insideMultiNothingIsAnsweredOrFilledAndWritesInvalidateAgainAtExec() {
    withTtl(session.sent(argv("GET", "user:1"))).replied(bytes("v1"), false);
    session.sent(argv("MULTI")).replied(OK, false);
    assertNull(session.lookup(runtime, bytes("user:1")));

    withTtl(session.sent(argv("GET", "user:2"))).replied(bytes("QUEUED"), false);
    session.sent(argv("SET", "user:1", "v2")).replied(bytes("QUEUED"), false);
    RedisSession reader = new RedisSession("10.0.0.1:6379", 0);
    withTtl(reader.sent(argv("GET", "user:1"))).replied(bytes("v1"), false); // before EXEC ran
    session.sent(argv("EXEC")).replied(List.of(), false);

    assertNull(reader.lookup(runtime, bytes("user:1")), "EXEC's reply invalidated again");
    assertNull(session.lookup(runtime, bytes("user:2")), "QUEUED was not cached");
    assertTrue(!session.inMulti());
  }

  @Test
  void flushDbDropsTheCurrentDatabaseOnly() {
    RedisSession db1 = new RedisSession("10.0.0.1:6379", 1);
    withTtl(session.sent(argv("GET", "user:1"))).replied(bytes("a"), false);
    withTtl(db1.sent(argv("GET", "user:1"))).replied(bytes("b"), false);

    session.sent(argv("FLUSHDB")).replied(OK, false);

    assertNull(session.lookup(runtime, bytes("user:1")));
    assertNotNull(db1.lookup(runtime, bytes("user:1")));
  }

  @Test
  void moveInvalidatesTheKeyInTheTargetDatabaseToo() {
    RedisSession db3 = new RedisSession("10.0.0.1:6379", 3);
    withTtl(db3.sent(argv("GET", "user:1"))).replied(bytes("in-3"), false);

    session.sent(argv("MOVE", "user:1", "3")).replied(1L, false);

    assertNull(db3.lookup(runtime, bytes("user:1")));
  }

  @Test
  void aDetachedSessionAnswersNothingButItsWritesInvalidateEveryDatabase() {
    RedisSession db5 = new RedisSession("10.0.0.1:6379", 5);
    withTtl(db5.sent(argv("GET", "user:1"))).replied(bytes("v"), false);

    session.sent(argv("SUBSCRIBE", "news"));
    assertTrue(session.isDetached());
    withTtl(session.sent(argv("GET", "user:1"))).replied(bytes("x"), false);
    assertNull(session.lookup(runtime, bytes("user:1")));

    session.sent(argv("DEL", "user:1"));
    assertNull(db5.lookup(runtime, bytes("user:1")), "its database is not known for sure");
  }

  @Test
  void aReconnectStartsOverOnDatabaseZeroAsTheDefaultUser() {
    session.sent(argv("SELECT", "2")).replied(OK, false);
    session.sent(argv("AUTH", "alice", "pw")).replied(OK, false);
    session.detach("test");

    session.connected("10.0.0.2:6379");

    assertEquals(0, session.db());
    assertEquals("default", session.user());
    assertTrue(!session.isDetached());
    assertSame(runtime.store().scope("10.0.0.2:6379", 0, "default"), session.scope());
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
