package io.redisl1.instrumentation.jedis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisl1.store.KeyRule;
import io.redisl1.store.KeyRules;
import io.redisl1.store.L1Entry;
import io.redisl1.store.L1Runtime;
import io.redisl1.store.L1Settings;
import io.redisl1.store.L1Store;
import io.redisl1.store.session.Pending;
import io.redisl1.store.session.RedisSession;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Jedis connection's state driven by hand in the order Jedis calls it (connect, send, read), on
 * real loopback sockets standing in for the connection's socket, against the real core.
 */
class JedisConnectionStateTest {
  private ServerSocket server;
  private final List<Socket> sockets = new ArrayList<>();
  private L1Runtime runtime;
  private JedisConnectionState state;

  @BeforeEach
  void start() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    runtime =
        L1Runtime.start(
            L1Store.create(L1Settings.of(1 << 20, 1 << 10)),
            KeyRules.of(List.of(KeyRule.cached("user:", Duration.ofMinutes(1), false))));
    state = new JedisConnectionState();
    state.connected(null, socket(), false, false);
  }

  @AfterEach
  void stop() throws IOException {
    for (Socket s : sockets) {
      s.close();
    }
    server.close();
  }

  @Test
  void aGetReplyFillsAndTheNextGetIsAnswered() {
    get("user:1");
    state.replyRead(bytes("alice"), null, false);
    assertTrue(state.ttlReplyNext(), "the agent's PTTL is read right behind the GET");
    state.replyRead(-1L, null, false);

    assertEquals("alice", value(state.lookup(bytes("user:1"))));
  }

  @Test
  void aGetFillsOnlyOnceItsPttlIsIn() {
    get("user:1");
    state.replyRead(bytes("alice"), null, false);
    assertNull(state.lookup(bytes("user:1")));
    state.replyRead(60_000L, null, false);

    assertEquals("alice", value(state.lookup(bytes("user:1"))));
  }

  @Test
  void aPipelinedGetSendsNoPttlAndFillsNothing() {
    assertNull(send("GET", "user:1"), "not through executeCommand");
    state.replyRead(bytes("alice"), null, false);

    assertFalse(state.ttlReplyNext());
    assertNull(state.lookup(bytes("user:1")));
  }

  @Test
  void aRefusedPttlFillsNothingAndLeavesTheNextReplyToItsCommand() {
    get("user:1");
    send("SET", "other:1", "x");
    state.replyRead(bytes("alice"), null, false);
    state.replyRead(null, new RuntimeException("NOPERM no permissions to run the 'pttl' command"), true);
    assertFalse(state.ttlReplyNext());
    state.replyRead(bytes("OK"), null, false);

    assertNull(state.lookup(bytes("user:1")));
    get("user:2");
    state.replyRead(bytes("bob"), null, false);
    state.replyRead(-1L, null, false);
    assertEquals("bob", value(state.lookup(bytes("user:2"))), "the pairing held");
  }

  @Test
  void aGetInMultiSendsNoPttl() {
    send("MULTI");
    state.missed(bytes("user:1"));
    assertNull(send("GET", "user:1"));
  }

  @Test
  void aPipelinedSelectThenSetInvalidatesTheTargetDatabase() throws IOException {
    RedisSession db1 = new RedisSession(endpoint(), 1);
    fill(db1, "user:2", bytes("old"));

    send("SELECT", "1");
    send("SET", "user:2", "new");
    assertNull(db1.lookup(runtime, bytes("user:2")));
    fill(db1, "user:2", bytes("old")); // read while the SET travels
    state.replyRead(bytes("OK"), null, false);
    state.replyRead(bytes("OK"), null, false);

    assertNull(db1.lookup(runtime, bytes("user:2")), "the SET's reply dropped it again");
  }

  @Test
  void aFailedReadAbandonsEverythingInFlightAndDetaches() {
    get("user:1");
    state.replyRead(bytes("alice"), null, false);
    state.replyRead(-1L, null, false);
    send("SELECT", "1");
    send("GET", "user:1");

    state.replyRead(null, new SocketTimeoutException("Read timed out"), false);

    assertNull(state.lookup(bytes("user:1")));
    get("user:1");
    state.replyRead(bytes("db ?"), null, false);
    assertFalse(state.ttlReplyNext(), "a detached connection sends no PTTL");
    assertNull(state.lookup(bytes("user:1")), "a detached connection fills nothing");
  }

  @Test
  void anErrorReplyIsADataErrorNotABrokenConnection() {
    send("SELECT", "99");
    state.replyRead(null, new RuntimeException("ERR DB index is out of range"), true);
    get("user:1");
    state.replyRead(bytes("db0"), null, false);
    state.replyRead(-1L, null, false);

    assertEquals("db0", value(state.lookup(bytes("user:1"))));
  }

  @Test
  void aReconnectGivesTheOldSocketsWritesTheirSecondInvalidation() throws IOException {
    send("SET", "user:3", "new"); // its reply never comes: the socket breaks
    RedisSession other = new RedisSession(endpoint(), 0);
    fill(other, "user:3", bytes("old"));

    state.connected(null, socket(), false, false);

    assertNull(other.lookup(runtime, bytes("user:3")));
    get("user:1");
    state.replyRead(bytes("fresh"), null, false);
    state.replyRead(-1L, null, false);
    assertEquals("fresh", value(state.lookup(bytes("user:1"))), "the new socket starts clean");
  }

  @Test
  void aReplyWithoutACommandDetaches() {
    state.replyRead(bytes("push"), null, false);
    get("user:1");
    state.replyRead(bytes("v"), null, false);
    assertFalse(state.ttlReplyNext());

    assertNull(state.lookup(bytes("user:1")));
  }

  @Test
  void aClusterConnectionStaysOffTheL1AcrossReconnects() throws IOException {
    JedisConnectionState cluster = new JedisConnectionState();
    cluster.connected(null, socket(), false, true);
    cluster.connected(null, socket(), false, false);
    cluster.missed(bytes("user:1"));
    cluster.beforeSend();
    assertNull(cluster.afterSend(argv("GET", "user:1"), false), "no PTTL: nothing would fill");
    cluster.replyRead(bytes("v"), null, false);

    assertNull(cluster.lookup(bytes("user:1")));
  }

  /** A command as Jedis writes it; returns the key of the PTTL the state asks for, if any. */
  private byte[] send(String... words) {
    state.beforeSend();
    return state.afterSend(argv(words), false);
  }

  /** A GET of executeCommand that missed, with the PTTL the state asks for written behind it. */
  private void get(String key) {
    state.missed(bytes(key));
    byte[] ttlKey = send("GET", key);
    if (ttlKey != null) {
      assertEquals(key, new String(ttlKey, UTF_8));
      state.ttlSent(false);
    }
  }

  /** Fills {@code key} through another connection's session, with the key's PTTL saying no expiry. */
  private static void fill(RedisSession session, String key, byte[] value) {
    Pending get = session.sent(argv("GET", key));
    Pending ttl = get.expectTtl();
    get.replied(value, false);
    if (ttl != null) {
      ttl.replied(-1L, false);
    }
  }

  private Socket socket() {
    try {
      Socket s = new Socket(server.getInetAddress(), server.getLocalPort());
      sockets.add(s);
      return s;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private String endpoint() {
    return io.redisl1.store.Endpoints.of(sockets.get(0).getRemoteSocketAddress());
  }

  private static String value(L1Entry entry) {
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
