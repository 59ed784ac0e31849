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
    read.written(argv("GET", "user:3"), RedisSession.readToken());
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

  private void get(String key, String value) {
    CommandReply get = l1.dispatched(bytes("GET"));
    get.written(argv("GET", key), RedisSession.readToken());
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
