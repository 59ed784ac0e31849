package io.redisl1.store.session;

import static io.redisl1.store.session.TtlReplies.withTtl;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Commands pipelined behind a SELECT, AUTH or RESET whose reply has not arrived: the session
 * cannot know which database or user they run as, so they never fill, never let the connection
 * answer from the L1, and invalidate wherever they may have run. Replies are handed in by hand, in
 * the order Redis would send them.
 */
class ScopeChangesInFlightTest {
  private static final byte[] OK = bytes("OK");
  private static final String SERVER = "10.0.0.1:6379";

  private L1Runtime runtime;
  private RedisSession writer;
  private RedisSession db1Reader;

  @BeforeEach
  void start() {
    runtime =
        L1Runtime.start(
            L1Store.create(L1Settings.of(1 << 20, 1 << 10)),
            KeyRules.of(List.of(KeyRule.cached("user:", Duration.ofMinutes(1), false))));
    writer = new RedisSession(SERVER, 0);
    db1Reader = new RedisSession(SERVER, 1);
  }

  @Test
  void aWritePipelinedBehindSelectInvalidatesTheDatabaseItRanIn() {
    withTtl(db1Reader.sent(argv("GET", "user:2"))).replied(bytes("old"), false);

    Pending select = writer.sent(argv("SELECT", "1"));
    Pending set = writer.sent(argv("SET", "user:2", "new"));
    assertNull(db1Reader.lookup(runtime, bytes("user:2")), "dropped as the SET was sent");

    // Another db 1 reader refills the old value while the SET is still on its way.
    withTtl(db1Reader.sent(argv("GET", "user:2"))).replied(bytes("old"), false);
    select.replied(OK, false);
    set.replied(OK, false);

    assertNull(db1Reader.lookup(runtime, bytes("user:2")), "the SET's reply dropped it again");
    assertEquals(1, writer.db());
    withTtl(writer.sent(argv("GET", "user:2"))).replied(bytes("new"), false);
    assertEquals("new", value(writer.lookup(runtime, bytes("user:2"))));
  }

  @Test
  void aGetPipelinedBehindSelectFillsNeitherDatabase() {
    withTtl(writer.sent(argv("GET", "user:1"))).replied(bytes("db0"), false);

    Pending select = writer.sent(argv("SELECT", "1"));
    Pending get = withTtl(writer.sent(argv("GET", "user:1")));
    select.replied(OK, false);
    get.replied(bytes("db1"), false);

    assertNull(writer.lookup(runtime, bytes("user:1")), "db 1 was never filled");
    RedisSession db0Reader = new RedisSession(SERVER, 0);
    assertEquals("db0", value(db0Reader.lookup(runtime, bytes("user:1"))), "db 0 kept its own value");
  }

  @Test
  void nothingIsAnsweredWhileAScopeChangeIsUnanswered() {
    withTtl(writer.sent(argv("GET", "user:1"))).replied(bytes("db0"), false);

    Pending select = writer.sent(argv("SELECT", "1"));
    assertTrue(writer.scopeChanging());
    assertNull(writer.lookup(runtime, bytes("user:1")));

    select.replied(null, true); // refused: still db 0
    assertFalse(writer.scopeChanging());
    assertEquals("db0", value(writer.lookup(runtime, bytes("user:1"))));
  }

  @Test
  void aWriteBehindARefusedSelectIsInvalidatedInTheDatabaseItReallyRanIn() {
    RedisSession db0Reader = new RedisSession(SERVER, 0);
    withTtl(db0Reader.sent(argv("GET", "user:3"))).replied(bytes("old"), false);

    Pending select = writer.sent(argv("SELECT", "1"));
    Pending del = writer.sent(argv("DEL", "user:3"));
    select.replied(null, true);
    del.replied(1L, false);

    assertNull(db0Reader.lookup(runtime, bytes("user:3")));
  }

  @Test
  void aFlushDbBehindSelectFlushesEveryDatabaseOfTheServer() {
    RedisSession db0Reader = new RedisSession(SERVER, 0);
    withTtl(db0Reader.sent(argv("GET", "user:1"))).replied(bytes("a"), false);
    withTtl(db1Reader.sent(argv("GET", "user:1"))).replied(bytes("b"), false);

    Pending select = writer.sent(argv("SELECT", "1"));
    writer.sent(argv("FLUSHDB"));

    assertNull(db1Reader.lookup(runtime, bytes("user:1")));
    assertNull(db0Reader.lookup(runtime, bytes("user:1")), "wider than needed, never narrower");
    select.replied(OK, false);
  }

  @Test
  void aGetPipelinedBehindAuthFillsNeitherUsersEntry() {
    Pending auth = writer.sent(argv("AUTH", "alice", "pw"));
    Pending get = withTtl(writer.sent(argv("GET", "user:1")));
    auth.replied(OK, false);
    get.replied(bytes("alice's view"), false);

    assertEquals("alice", writer.user());
    assertNull(writer.lookup(runtime, bytes("user:1")));
    RedisSession defaultUser = new RedisSession(SERVER, 0);
    assertNull(defaultUser.lookup(runtime, bytes("user:1")));
  }

  @Test
  void aResetInFlightIsAScopeChangeToo() {
    writer.sent(argv("SELECT", "4")).replied(OK, false);
    Pending reset = writer.sent(argv("RESET"));
    Pending get = withTtl(writer.sent(argv("GET", "user:1")));
    reset.replied(bytes("RESET"), false);
    get.replied(bytes("db0 value"), false);

    assertEquals(0, writer.db());
    assertNull(writer.lookup(runtime, bytes("user:1")));
  }

  @Test
  void aScopeChangeWhoseReplyIsLostDetachesTheSession() {
    withTtl(db1Reader.sent(argv("GET", "user:2"))).replied(bytes("old"), false);

    Pending select = writer.sent(argv("SELECT", "1"));
    select.abandoned(); // a timeout: Redis may yet apply it

    assertTrue(writer.isDetached());
    withTtl(writer.sent(argv("GET", "user:2"))).replied(bytes("db ?"), false);
    assertNull(writer.lookup(runtime, bytes("user:2")));
    writer.sent(argv("SET", "user:2", "new"));
    assertNull(db1Reader.lookup(runtime, bytes("user:2")), "its writes reach every database");
  }

  @Test
  void aReconnectStartsFromItsHandshakeWhateverTheOldSocketsScopeChangesDo() {
    Pending select = writer.sent(argv("SELECT", "1"));
    writer.connected(SERVER, 2, "default");
    select.replied(OK, false); // a reply the new socket never asked for

    assertEquals(2, writer.db());
    assertFalse(writer.scopeChanging());
    withTtl(writer.sent(argv("GET", "user:1"))).replied(bytes("db2"), false);
    assertEquals("db2", value(writer.lookup(runtime, bytes("user:1"))));
  }

  @Test
  void anUnansweredWriteHoldsOffAnswersUntilItsReply() {
    withTtl(writer.sent(argv("GET", "user:1"))).replied(bytes("v1"), false);
    withTtl(writer.sent(argv("GET", "user:2"))).replied(bytes("w1"), false);

    Pending set = writer.sent(argv("SET", "user:2", "w2"));
    assertTrue(writer.holdingAnswers());
    assertNull(writer.lookup(runtime, bytes("user:1")), "not even an unrelated key");

    set.replied(OK, false);
    assertFalse(writer.holdingAnswers());
    assertNotNull(writer.lookup(runtime, bytes("user:1")));
  }

  @Test
  void aReplyHandedInTwiceSettlesOnce() {
    Pending set = writer.sent(argv("SET", "user:2", "w2"));
    set.replied(OK, false);
    set.abandoned();

    assertFalse(writer.holdingAnswers());
    writer.holdAnswers();
    assertTrue(writer.holdingAnswers(), "a client's own hold is counted");
    writer.releaseAnswers();
    assertFalse(writer.holdingAnswers());
  }

  private static String value(io.redisl1.store.L1Entry entry) {
    assertNotNull(entry);
    return new String(entry.value(), UTF_8);
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
