package io.redisl1.instrumentation.jedis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.redisl1.store.KeyRule;
import io.redisl1.store.KeyRules;
import io.redisl1.store.L1Entry;
import io.redisl1.store.L1Runtime;
import io.redisl1.store.L1Settings;
import io.redisl1.store.L1Store;
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
    state.connected(socket(), false, false);
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
    send("GET", "user:1");
    state.replyRead(bytes("alice"), null, false);

    assertEquals("alice", value(state.lookup(bytes("user:1"))));
  }

  @Test
  void aPipelinedSelectThenSetInvalidatesTheTargetDatabase() throws IOException {
    RedisSession db1 = new RedisSession(endpoint(), 1);
    db1.sent(argv("GET", "user:2")).replied(bytes("old"), false);

    send("SELECT", "1");
    send("SET", "user:2", "new");
    assertNull(db1.lookup(runtime, bytes("user:2")));
    db1.sent(argv("GET", "user:2")).replied(bytes("old"), false); // read while the SET travels
    state.replyRead(bytes("OK"), null, false);
    state.replyRead(bytes("OK"), null, false);

    assertNull(db1.lookup(runtime, bytes("user:2")), "the SET's reply dropped it again");
  }

  @Test
  void aFailedReadAbandonsEverythingInFlightAndDetaches() {
    send("GET", "user:1");
    state.replyRead(bytes("alice"), null, false);
    send("SELECT", "1");
    send("GET", "user:1");

    state.replyRead(null, new SocketTimeoutException("Read timed out"), false);

    assertNull(state.lookup(bytes("user:1")));
    send("GET", "user:1");
    state.replyRead(bytes("db ?"), null, false);
    assertNull(state.lookup(bytes("user:1")), "a detached connection fills nothing");
  }

  @Test
  void anErrorReplyIsADataErrorNotABrokenConnection() {
    send("SELECT", "99");
    state.replyRead(null, new RuntimeException("ERR DB index is out of range"), true);
    send("GET", "user:1");
    state.replyRead(bytes("db0"), null, false);

    assertEquals("db0", value(state.lookup(bytes("user:1"))));
  }

  @Test
  void aReconnectGivesTheOldSocketsWritesTheirSecondInvalidation() throws IOException {
    send("SET", "user:3", "new"); // its reply never comes: the socket breaks
    RedisSession other = new RedisSession(endpoint(), 0);
    other.sent(argv("GET", "user:3")).replied(bytes("old"), false);

    state.connected(socket(), false, false);

    assertNull(other.lookup(runtime, bytes("user:3")));
    send("GET", "user:1");
    state.replyRead(bytes("fresh"), null, false);
    assertEquals("fresh", value(state.lookup(bytes("user:1"))), "the new socket starts clean");
  }

  @Test
  void aReplyWithoutACommandDetaches() {
    state.replyRead(bytes("push"), null, false);
    send("GET", "user:1");
    state.replyRead(bytes("v"), null, false);

    assertNull(state.lookup(bytes("user:1")));
  }

  @Test
  void aClusterConnectionStaysOffTheL1AcrossReconnects() throws IOException {
    JedisConnectionState cluster = new JedisConnectionState();
    cluster.connected(socket(), false, true);
    cluster.connected(socket(), false, false);
    cluster.beforeSend();
    cluster.afterSend(argv("GET", "user:1"), false);
    cluster.replyRead(bytes("v"), null, false);

    assertNull(cluster.lookup(bytes("user:1")));
  }

  private void send(String... words) {
    state.beforeSend();
    state.afterSend(argv(words), false);
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
