package io.redisl1.it.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.redisl1.testsupport.RedisServerExtension;
import io.redisl1.testsupport.RespClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a Lettuce connection itself must keep, whatever API style drives it: codecs that hand out
 * the caller's buffer, commands replayed after a reconnect, EXEC's reply invalidating before the
 * application sees it, closed connections and timed-out GETs. Runs in the Lettuce contract
 * executions, under the agent.
 */
@Tag("lettuce-contract")
class LettuceConnectionTest {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();
  private static RedisClient client;
  private RespClient server;

  @BeforeAll
  static void underTheAgent() {
    ClientContract.underTheAgent();
    client = RedisClient.create(RedisURI.create(REDIS.endpoint().host(), REDIS.endpoint().port()));
  }

  @AfterAll
  static void shutdown() {
    if (client != null) { // null when not under the agent: the class was skipped before connecting
      client.shutdown();
    }
  }

  @BeforeEach
  void connect() {
    server = REDIS.endpoint().connect(); // each case has keys of its own: the L1 outlives them
  }

  @AfterEach
  void close() {
    server.close();
  }

  private long gets() {
    return server.commandCalls("get");
  }

  /**
   * A UTF-8 String key is looked up without encoding it when it is ASCII: it must be the entry of
   * the bytes Lettuce sends for it, the same one a byte[] key of those bytes reads, and keys with
   * other characters must still be found (and prefixes still matched) as the codec encodes them.
   */
  @Test
  void aStringKeyIsTheEntryOfTheBytesTheCodecSends() {
    String id = java.util.UUID.randomUUID().toString();
    try (StatefulRedisConnection<String, String> text = client.connect();
        StatefulRedisConnection<byte[], byte[]> bytes = client.connect(io.lettuce.core.codec.ByteArrayCodec.INSTANCE)) {
      for (String k : List.of("user:" + id, "user:\u00e9\u20ac\ud83d\ude00:" + id)) {
        server.call("SET", k, "v-" + k);
        server.resetStats();
        assertEquals("v-" + k, text.sync().get(k));
        assertEquals("v-" + k, text.sync().get(k));
        assertEquals("v-" + k, new String(bytes.sync().get(k.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8));
        assertEquals(1, gets(), k + ": one GET filled, the others were hits of that entry");
      }
      for (String k : List.of("\u00fcser:" + id, "us\u00e9")) {
        server.call("SET", k, "v-" + k);
        server.resetStats();
        assertEquals("v-" + k, text.sync().get(k));
        assertEquals("v-" + k, text.sync().get(k));
        assertEquals(2, gets(), k + ": no rule caches it");
      }
    }
  }

  @Test
  void aByteArrayHitIsTheApplicationsOwnCopyAndAStringHitIsDecodedOnce() {
    String k = "user:" + java.util.UUID.randomUUID();
    server.call("SET", k, "alice");
    try (StatefulRedisConnection<byte[], byte[]> bytes = client.connect(io.lettuce.core.codec.ByteArrayCodec.INSTANCE);
        StatefulRedisConnection<String, String> strings = client.connect()) {
      long before = gets();
      byte[] key = k.getBytes(StandardCharsets.UTF_8);
      byte[] first = bytes.sync().get(key);
      first[0] = 'X'; // the application may change what it was given
      assertEquals("alice", new String(bytes.sync().get(key), StandardCharsets.UTF_8));
      assertEquals("alice", new String(bytes.sync().get(key), StandardCharsets.UTF_8));
      assertEquals("alice", strings.sync().get(k));
      assertEquals("alice", strings.sync().get(k));
      assertEquals(before + 1, gets(), "one miss, then hits through both codecs");
    }
  }

  @Test
  void aCodecThatHandsOutTheCallersBufferStillWritesTheWholeValue() throws Exception {
    SameBufferCodec.VALUES_ENCODED.set(0);
    try (StatefulRedisConnection<String, ByteBuffer> c = client.connect(new SameBufferCodec())) {
      c.sync().set("user:c", utf8("sync-value"));
      assertEquals("sync-value", server.call("GET", "user:c"), "the agent drained the value buffer");
      c.async().set("user:c2", utf8("async-value")).get(10, TimeUnit.SECONDS);
      assertEquals("async-value", server.call("GET", "user:c2"));
      c.reactive().set("user:c3", utf8("reactive-value")).block();
      assertEquals("reactive-value", server.call("GET", "user:c3"));
      c.sync().multi();
      c.sync().set("user:c4", utf8("multi-value"));
      c.sync().exec();
      assertEquals("multi-value", server.call("GET", "user:c4"));
      for (int i = 0; i < 5; i++) {
        assertEquals("sync-value", utf8(c.sync().get("user:c")));
      }
      // dispatch(Collection), as command interfaces with @BatchSize use it.
      SameBufferCodec codec = new SameBufferCodec();
      AsyncCommand<String, ByteBuffer, String> batched =
          new AsyncCommand<>(new Command<>(CommandType.SET, new StatusOutput<>(codec),
              new CommandArgs<>(codec).addKey("user:c5").addValue(utf8("batch-value"))));
      c.dispatch(List.of(batched));
      batched.get(10, TimeUnit.SECONDS);
      assertEquals("batch-value", server.call("GET", "user:c5"));
    }
    assertEquals(5, SameBufferCodec.VALUES_ENCODED.get(), "five values written, each encoded once, by Lettuce");
  }

  /**
   * The socket is killed with a write and reads on it, unanswered: Lettuce reconnects and writes
   * them again. A BLPOP ahead of them keeps Redis from running any of them on either socket until
   * the test pushes to its list.
   */
  @Test
  void commandsReplayedAfterAReconnectAreNeitherStaleNorMisPaired() throws Exception {
    // Lettuce does not always replay a BLPOP that was blocked when its socket was killed (about
    // once in fifteen runs, with and without the agent); such a run cannot set up the ordering
    // this case is about, so it starts over on fresh connections.
    for (int attempt = 1; attempt <= 3; attempt++) {
      if (reconnectAttempt()) {
        return;
      }
    }
    throw new IllegalStateException("Lettuce never replayed the blocked BLPOP in 3 attempts");
  }

  private boolean reconnectAttempt() throws Exception {
    server.flushAll();
    server.call("SET", "user:r1", "old");
    server.call("SET", "user:r2", "two");
    try (StatefulRedisConnection<String, String> c = client.connect();
        StatefulRedisConnection<String, String> other = client.connect()) {
      c.sync().get("user:r1");
      c.sync().get("user:r2");
      long id = c.sync().clientId();
      RedisFuture<KeyValue<String, String>> blocked = c.async().blpop(0, "queue");
      assertTrue(findBlpop(-1) >= 0, "no client blocked in BLPOP within 10 s; CLIENT LIST:\n" + server.call("CLIENT", "LIST"));
      RedisFuture<String> set = c.async().set("user:r1", "new");
      RedisFuture<String> get2 = c.async().get("user:r2");
      RedisFuture<String> get1 = c.async().get("user:r1");
      server.call("CLIENT", "KILL", "ID", Long.toString(id));
      if (findBlpop(id) < 0) {
        return false;
      }
      // The replayed SET has not run yet: another connection reads, and may cache, the old value.
      assertEquals("old", other.sync().get("user:r1"));
      // Behind the replayed SET on the wire: must not be answered from the L1.
      RedisFuture<String> get1b = c.async().get("user:r1");
      server.call("RPUSH", "queue", "go");
      assertEquals("go", blocked.get(10, TimeUnit.SECONDS).getValue());
      assertEquals("OK", set.get(10, TimeUnit.SECONDS));
      assertEquals("two", get2.get(10, TimeUnit.SECONDS));
      assertEquals("new", get1.get(10, TimeUnit.SECONDS));
      assertEquals("new", get1b.get(10, TimeUnit.SECONDS), "a GET behind a replayed SET was answered from the L1");
      for (int i = 0; i < 5; i++) {
        assertEquals("new", c.sync().get("user:r1"));
        assertEquals("new", other.sync().get("user:r1"), "the replayed SET's reply must invalidate");
      }
      long before = gets();
      for (int i = 0; i < 5; i++) {
        assertEquals("two", c.sync().get("user:r2"));
      }
      assertTrue(gets() - before <= 1, "the connection answers from the L1 again");
    }
    assertEquals("new", server.call("GET", "user:r1"));
    return true;
  }

  /**
   * A write queued in MULTI is invalidated when sent and must be invalidated again by EXEC's reply
   * before the application sees any of the transaction's results: another connection may read,
   * and cache, the old value while the write waits in the queue.
   *
   * <p>Callback rounds are deterministic: the old value is cached between the queued SET and EXEC,
   * and the application reads through the L1 on another connection from callbacks on EXEC's future
   * and on the queued SET's own future (which EXEC's reply completes first), registered before EXEC
   * is flushed. Sync rounds race a filler thread against the caller waking up from {@code exec()}.
   */
  @Test
  void execsReplyInvalidatesTheTransactionsWritesBeforeTheAppSeesThem() throws Exception {
    List<String> stale = new ArrayList<>();
    int primed = 0;
    try (StatefulRedisConnection<String, String> c = client.connect();
        StatefulRedisConnection<String, String> other = client.connect();
        StatefulRedisConnection<String, String> filler = client.connect()) {
      long id = c.sync().clientId();
      for (int i = 0; i < 50; i++) {
        String key = "user:x" + i;
        c.sync().set(key, "old");
        c.sync().multi();
        RedisFuture<String> set = c.async().set(key, "new");
        CompletableFuture<RedisFuture<String>> seenBySet = set.toCompletableFuture().thenApply(ok -> other.async().get(key));
        awaitQueued(id, 1); // the SET's bytes reached Redis: its first invalidation is done
        if (cacheOnOther(other, key)) {
          primed++;
        }
        c.setAutoFlushCommands(false);
        RedisFuture<TransactionResult> exec = c.async().exec();
        CompletableFuture<RedisFuture<String>> seenByExec = exec.toCompletableFuture().thenApply(tx -> other.async().get(key));
        c.flushCommands();
        c.setAutoFlushCommands(true);
        String bySet = seenBySet.get(10, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
        String byExec = seenByExec.get(10, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
        if (!"new".equals(bySet)) {
          stale.add("set" + i + "=" + bySet);
        }
        if (!"new".equals(byExec)) {
          stale.add("exec" + i + "=" + byExec);
        }
      }
      assertEquals(50, primed, "the old value was not cached while EXEC was pending: the rounds proved nothing");

      String key = "user:xs";
      c.sync().set(key, "v-1");
      AtomicBoolean stop = new AtomicBoolean();
      Thread fill = new Thread(() -> {
        while (!stop.get()) {
          filler.sync().get(key);
        }
      });
      fill.start();
      try {
        for (int i = 0; i < 200; i++) {
          c.sync().multi();
          c.sync().set(key, "v" + i);
          c.sync().exec();
          String value = other.sync().get(key);
          if (!("v" + i).equals(value)) {
            stale.add("sync" + i + "=" + value);
          }
        }
      } finally {
        stop.set(true);
        fill.join();
      }
    }
    assertEquals(List.of(), stale, "a read after EXEC's result was served the old value");
  }

  @Test
  void aClosedConnectionFailsAsWithoutTheAgentEvenWhenTheL1HoldsTheKey() {
    server.call("SET", "user:closed", "v");
    StatefulRedisConnection<String, String> c = client.connect();
    assertEquals("v", c.sync().get("user:closed"));
    assertEquals("v", c.sync().get("user:closed")); // a hit: the L1 holds it
    c.close();

    RedisException closed = assertThrows(RedisException.class, () -> c.sync().get("user:closed"));
    assertTrue(String.valueOf(closed.getMessage()).contains("closed"), "Lettuce's own error, as without the agent: " + closed);
  }

  @Test
  void aTimedOutGetReachesTheAppAndFillsNothing() {
    server.call("SET", "user:slow", "v");
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      c.setTimeout(Duration.ofMillis(150));
      server.call("CLIENT", "PAUSE", "600", "ALL");
      assertThrows(RedisCommandTimeoutException.class, () -> c.sync().get("user:slow"));
      assertEquals("PONG", server.call("PING")); // returns once the pause is over

      String after = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (after == null && System.nanoTime() < deadline) {
        try {
          after = c.sync().get("user:slow");
        } catch (RedisCommandTimeoutException stillCatchingUp) {
          // the late reply of the timed-out GET is still being drained
        }
      }
      assertEquals("v", after);
      long before = gets();
      for (int i = 0; i < 5; i++) {
        assertEquals("v", c.sync().get("user:slow"));
      }
      assertTrue(gets() - before <= 1, "after a good reply the key is cached");
    }
  }

  /** Waits until client {@code id} has {@code count} commands queued in its MULTI. */
  private void awaitQueued(long id, int count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      for (String line : String.valueOf(server.call("CLIENT", "LIST", "ID", Long.toString(id))).split("\r?\n")) {
        if (line.contains(" multi=" + count + " ")) {
          return;
        }
      }
      Thread.sleep(1);
    }
    throw new IllegalStateException("client " + id + " never had " + count + " queued command(s)");
  }

  /** Reads {@code key} through {@code other} until it is answered from the L1; false if never. */
  private boolean cacheOnOther(StatefulRedisConnection<String, String> other, String key) {
    for (int i = 0; i < 20; i++) {
      long before = gets();
      other.sync().get(key);
      if (gets() == before) {
        return true;
      }
    }
    return false;
  }

  /** The id of a client other than {@code not} blocked in BLPOP, or -1 after 10 s without one. */
  private long findBlpop(long not) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      for (String line : String.valueOf(server.call("CLIENT", "LIST")).split("\r?\n")) {
        if (line.contains(" cmd=blpop ") && line.startsWith("id=")) {
          long id = Long.parseLong(line.substring(3, line.indexOf(' ')));
          if (id != not) {
            return id;
          }
        }
      }
      Thread.sleep(5);
    }
    return -1;
  }

  private static ByteBuffer utf8(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String utf8(ByteBuffer b) {
    return b == null ? null : StandardCharsets.UTF_8.decode(b.duplicate()).toString();
  }

  /** Keys as UTF-8, values as the very buffers the application passes in. */
  static final class SameBufferCodec implements RedisCodec<String, ByteBuffer> {
    static final AtomicInteger VALUES_ENCODED = new AtomicInteger();

    @Override
    public String decodeKey(ByteBuffer bytes) {
      return StandardCharsets.UTF_8.decode(bytes).toString();
    }

    @Override
    public ByteBuffer decodeValue(ByteBuffer bytes) {
      ByteBuffer copy = ByteBuffer.allocate(bytes.remaining());
      copy.put(bytes).flip();
      return copy;
    }

    @Override
    public ByteBuffer encodeKey(String key) {
      return StandardCharsets.UTF_8.encode(key);
    }

    @Override
    public ByteBuffer encodeValue(ByteBuffer value) {
      VALUES_ENCODED.incrementAndGet();
      return value;
    }
  }
}
