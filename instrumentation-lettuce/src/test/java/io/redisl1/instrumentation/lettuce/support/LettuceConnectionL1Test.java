package io.redisl1.instrumentation.lettuce.support;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisl1.store.KeyRule;
import io.redisl1.store.KeyRules;
import io.redisl1.store.L1Entry;
import io.redisl1.store.L1Runtime;
import io.redisl1.store.L1Settings;
import io.redisl1.store.L1Store;
import io.redisl1.store.session.RedisSession;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Lettuce connection's bookkeeping from dispatch to completion, driven by hand in the order
 * Lettuce calls it (dispatch on the caller's thread, encode and reply on the event loop), against
 * the real core: no Lettuce types, nothing of Redis faked beyond the replies handed in.
 */
class LettuceConnectionL1Test {
  private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 6379);

  private L1Runtime runtime;
  private LettuceConnectionL1 l1;

  @BeforeEach
  void start() {
    runtime =
        L1Runtime.start(
            L1Store.create(L1Settings.of(1 << 20, 1 << 10)),
            KeyRules.of(List.of(KeyRule.cached("user:", Duration.ofMinutes(1), false))));
    l1 = LettuceConnectionL1.activated(null, SERVER, 0, "default", true);
  }

  @Test
  void aGetsRawReplyFillsOnceTheReplyIsDecoded() {
    get("user:1", "alice");

    assertEquals("alice", value(lookup("user:1")));
  }

  @Test
  void aGetWhoseBulkReplyNeverReachedItsOutputFillsNothing() {
    CommandReply get = l1.dispatched(bytes("GET"));
    get.written(argv("GET", "user:1"), RedisSession.readToken());
    CommandReply.replied(get, false);

    assertNull(lookup("user:1"));
  }

  @Test
  void aGetFillsOnlyWithThePttlWrittenAheadOfIt() {
    get("user:1", "alice", 60_000L);
    assertEquals("alice", value(lookup("user:1")));

    CommandReply get = l1.dispatched(bytes("GET"));
    get.written(argv("GET", "user:2"), RedisSession.readToken()); // no PTTL went ahead of it
    CommandReply.capture(get, buffer("bob"));
    CommandReply.replied(get, false);
    assertNull(lookup("user:2"));
  }

  @Test
  void aKeyWithLessThanTheMarginLeftIsNotCached() {
    get("user:1", "alice", 10L);
    assertNull(lookup("user:1"));
  }

  @Test
  void aRefusedOrMissingPttlFillsNothing() {
    CommandReply get = l1.dispatched(bytes("GET"));
    TtlProbe probe = TtlProbe.forGet(get, buffer("user:1"));
    get.ttlAhead(probe);
    get.written(argv("GET", "user:1"), RedisSession.readToken());
    probe.replied(null, "NOPERM this user has no permissions to run the 'pttl' command");
    CommandReply.capture(get, buffer("alice"));
    CommandReply.replied(get, false);
    assertNull(lookup("user:1"));

    get = l1.dispatched(bytes("GET"));
    get.ttlAhead(TtlProbe.forGet(get, buffer("user:2")));
    get.written(argv("GET", "user:2"), RedisSession.readToken());
    CommandReply.capture(get, buffer("bob")); // the PTTL's reply never came (cancelled)
    CommandReply.replied(get, false);
    assertNull(lookup("user:2"));
  }

  @Test
  void noPttlWhereTheGetCouldNotFill() {
    assertNull(TtlProbe.forGet(l1.dispatched(bytes("GET")), buffer("other:1")), "no rule");
    assertNull(TtlProbe.forGet(l1.dispatched(bytes("SET")), buffer("user:1")), "not a GET");

    CommandReply select = l1.dispatched(bytes("SELECT"));
    select.written(argv("SELECT", "1"), RedisSession.readToken());
    assertNull(TtlProbe.forGet(l1.dispatched(bytes("GET")), buffer("user:1")), "SELECT unanswered");
    CommandReply.replied(select, false);
    assertNotNull(TtlProbe.forGet(l1.dispatched(bytes("GET")), buffer("user:1")));

    CommandReply multi = l1.dispatched(bytes("MULTI"));
    multi.written(argv("MULTI"), RedisSession.readToken());
    assertNull(TtlProbe.forGet(l1.dispatched(bytes("GET")), buffer("user:1")), "inside MULTI on the wire");
    CommandReply.replied(multi, false);
    assertNull(TtlProbe.forGet(l1.dispatched(bytes("GET")), buffer("user:1")), "until EXEC's reply");
    CommandReply exec = l1.dispatched(bytes("EXEC"));
    exec.written(argv("EXEC"), RedisSession.readToken());
    CommandReply.replied(exec, false);
    assertNotNull(TtlProbe.forGet(l1.dispatched(bytes("GET")), buffer("user:1")));

    l1.session().detach("test");
    assertNull(TtlProbe.forGet(l1.dispatched(bytes("GET")), buffer("user:1")), "detached");
  }

  @Test
  void theHiddenPttlIsNoCommandOfTheApplication() {
    TtlProbe probe = TtlProbe.forGet(l1.dispatched(bytes("GET")), buffer("user:1"));
    CommandReply shell = probe.shell();
    assertSame(probe, shell.pttl());
    assertNull(TtlProbe.forGet(shell, buffer("user:1")), "no PTTL ahead of the agent's own PTTL");
    assertNull(l1.dispatched(bytes("GET")).pttl());
    assertFalse(l1.session().holdingAnswers());
  }

  @Test
  void aGetReplayedAfterAReconnectFillsFromThePttlAheadOfItsReplay() {
    CommandReply get = l1.dispatched(bytes("GET"));
    TtlProbe first = TtlProbe.forGet(get, buffer("user:1"));
    get.ttlAhead(first);
    get.written(argv("GET", "user:1"), RedisSession.readToken());
    LettuceConnectionL1.activated(l1, SERVER, 0, "default", true);
    // Lettuce replays both; the GET gets a fresh PTTL ahead of its new write.
    first.replied(-1L, null);
    TtlProbe second = TtlProbe.forGet(get, buffer("user:1"));
    get.ttlAhead(second);
    get.written(argv("GET", "user:1"), RedisSession.readToken());
    second.replied(60_000L, null);
    CommandReply.capture(get, buffer("alice"));
    CommandReply.replied(get, false);

    assertEquals("alice", value(lookup("user:1")));
  }

  @Test
  void aWriteHoldsOffAnswersFromDispatchBeforeItIsWritten() {
    get("user:1", "alice");

    CommandReply set = l1.dispatched(bytes("SET"));
    assertNull(lookup("user:1"), "an un-awaited write is not yet on the wire but already counts");
    set.written(argv("SET", "user:2", "x"), RedisSession.readToken());
    CommandReply.replied(set, false);
    set.accept("OK", null); // the command's own completion comes after: settles nothing twice

    assertEquals("alice", value(lookup("user:1")));
    assertFalse(l1.session().holdingAnswers());
  }

  @Test
  void aGetDispatchedBehindAnUnansweredSelectFillsNothing() {
    CommandReply select = l1.dispatched(bytes("SELECT"));
    CommandReply get = l1.dispatched(bytes("GET"));
    select.written(argv("SELECT", "1"), RedisSession.readToken());
    get.written(argv("GET", "user:1"), RedisSession.readToken());
    CommandReply.replied(select, false);
    CommandReply.capture(get, buffer("db1"));
    CommandReply.replied(get, false);

    assertEquals(1, l1.session().db());
    assertNull(lookup("user:1"), "filled under neither database");
  }

  @Test
  void aSelectThatTimesOutDetachesTheConnection() {
    CommandReply select = l1.dispatched(bytes("SELECT"));
    select.written(argv("SELECT", "1"), RedisSession.readToken());
    select.accept(null, new TimeoutException("Command timed out after 100 ms"));

    assertTrue(l1.session().isDetached());
    get("user:1", "db ?");
    assertNull(lookup("user:1"));
  }

  @Test
  void aReconnectAbandonsWhatTheOldSocketCarriedAndItsWritesInvalidateAgain() {
    CommandReply set = l1.dispatched(bytes("SET"));
    set.written(argv("SET", "user:3", "new"), RedisSession.readToken());
    // Another connection reads the old value while the SET is on the dying socket.
    LettuceConnectionL1 other = LettuceConnectionL1.activated(null, SERVER, 0, "default", true);
    CommandReply read = other.dispatched(bytes("GET"));
    TtlProbe probe = TtlProbe.forGet(read, buffer("user:3"));
    read.ttlAhead(probe);
    read.written(argv("GET", "user:3"), RedisSession.readToken());
    probe.replied(-1L, null);
    CommandReply.capture(read, buffer("old"));
    CommandReply.replied(read, false);
    assertNotNull(other.lookup(runtime, buffer("user:3")));

    LettuceConnectionL1 same = LettuceConnectionL1.activated(l1, SERVER, 0, "default", true);

    assertSame(l1, same);
    assertNull(other.lookup(runtime, buffer("user:3")), "the lost write's second invalidation ran");
    // Lettuce replays the SET on the new socket: a fresh write with its own reply.
    set.written(argv("SET", "user:3", "new"), RedisSession.readToken());
    CommandReply.replied(set, false);
    assertFalse(l1.session().holdingAnswers());
  }

  @Test
  void autoFlushOffAnswersNothingUntilFlushingResumes() {
    get("user:1", "alice");
    l1.autoFlush(false);
    assertNull(lookup("user:1"));
    l1.autoFlush(true);
    assertNotNull(lookup("user:1"));
  }

  @Test
  void onlyCommandsReadOnlyWhateverTheirArgumentsLeaveAnswersOn() {
    assertTrue(LettuceConnectionL1.readOnly(bytes("GET")));
    assertTrue(LettuceConnectionL1.readOnly(bytes("hget")));
    assertFalse(LettuceConnectionL1.readOnly(bytes("HELLO")), "HELLO 3 AUTH changes the user");
    assertFalse(LettuceConnectionL1.readOnly(bytes("SET")));
    assertFalse(LettuceConnectionL1.readOnly(bytes("SELECT")));
    assertFalse(LettuceConnectionL1.readOnly(bytes("SOME.MODULECMD")));
  }

  @Test
  void aKeyBufferThatIsExactlyItsArrayIsLookedUpWithoutACopy() {
    byte[] key = bytes("user:1");
    assertSame(key, LettuceConnectionL1.bytesOf(ByteBuffer.wrap(key)));

    ByteBuffer sliced = ByteBuffer.wrap(bytes("xxuser:1"), 2, 6).slice();
    byte[] copied = LettuceConnectionL1.bytesOf(sliced);
    assertArrayEquals(key, copied);
    assertEquals(0, sliced.position(), "the buffer is not moved");
    assertNotSame(sliced.array(), copied);
  }

  /** A GET as Lettuce writes it under the agent: a PTTL ahead when it may fill, saying no expiry. */
  private void get(String key, String value) {
    get(key, value, -1L);
  }

  private void get(String key, String value, long pttl) {
    CommandReply get = l1.dispatched(bytes("GET"));
    TtlProbe probe = TtlProbe.forGet(get, buffer(key));
    get.ttlAhead(probe);
    get.written(argv("GET", key), RedisSession.readToken());
    if (probe != null) {
      probe.replied(pttl, null); // decoded before the GET's reply: it is ahead in the stack
    }
    CommandReply.capture(get, buffer(value));
    CommandReply.replied(get, false);
  }

  private L1Entry lookup(String key) {
    return l1.lookup(runtime, buffer(key));
  }

  private static String value(L1Entry entry) {
    assertNotNull(entry);
    return new String(entry.value(), UTF_8);
  }

  private static ByteBuffer buffer(String s) {
    return ByteBuffer.wrap(bytes(s));
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
