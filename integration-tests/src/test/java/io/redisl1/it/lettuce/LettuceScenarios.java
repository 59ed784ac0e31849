package io.redisl1.it.lettuce;

import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.redisl1.testsupport.RespClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Ordinary Lettuce programs, run in a forked JVM under the agent by {@link LettuceAgentTest}. Each
 * prints {@code name=value} lines; {@code gets@...} values are the server's own count of GETs
 * (INFO commandstats), read through a raw socket the agent does not touch.
 */
public final class LettuceScenarios {
  private final RespClient server;
  private final String host;
  private final int port;
  private final RedisClient client;

  private LettuceScenarios(String host, int port) {
    this.host = host;
    this.port = port;
    this.server = new RespClient(host, port);
    this.client = RedisClient.create(RedisURI.create(host, port));
  }

  public static void main(String[] args) throws Exception {
    LettuceScenarios s = new LettuceScenarios(args[1], Integer.parseInt(args[2]));
    if (args[0].equals("noauth")) {
      s.server.call("AUTH", io.redisl1.it.NoAuthTest.PASSWORD);
    }
    s.server.flushAll();
    s.server.resetStats();
    try {
      switch (args[0]) {
        case "hits" -> s.hits();
        case "writes" -> s.writes();
        case "bypass" -> s.bypass();
        case "databases" -> s.databases();
        case "users" -> s.users();
        case "errors" -> s.errors();
        case "transactions" -> s.transactions();
        case "spring" -> s.spring();
        case "timeout" -> s.timeout();
        case "plain" -> s.plain();
        case "codec" -> s.codec();
        case "reconnect" -> s.reconnect();
        case "exec" -> s.exec();
        case "closed" -> s.closed();
        case "race" -> s.race();
        case "noauth" -> s.noauth();
        default -> throw new IllegalArgumentException(args[0]);
      }
    } finally {
      s.client.shutdown();
      s.server.close();
    }
  }

  private void print(String name, Object value) {
    System.out.println(name + "=" + value);
  }

  private void printGets(String name) {
    print("gets@" + name, server.commandCalls("get"));
  }

  /** One value if every call agreed, else all of them. */
  private static String repeat(int times, Supplier<Object> call) {
    List<Object> seen = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      Object v = call.get();
      if (!seen.contains(v)) {
        seen.add(v);
      }
    }
    return seen.size() == 1 ? String.valueOf(seen.get(0)) : seen.toString();
  }

  /** The same hot key through every API style, and through a byte[] codec. */
  private void hits() throws Exception {
    server.call("SET", "user:1", "alice");
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      print("sync.first", c.sync().get("user:1"));
      printGets("miss");
      Thread caller = Thread.currentThread();
      print("sync.rest", repeat(100, () -> c.sync().get("user:1")));
      printGets("sync");
      print("async.rest", repeat(100, () -> join(c.async().get("user:1"))));
      RedisFuture<String> f = c.async().get("user:1");
      print("async.doneAtOnce", f.isDone());
      printGets("async");
      print("reactive.rest", repeat(100, () -> c.reactive().get("user:1").block()));
      print(
          "reactive.sameThread",
          c.reactive().get("user:1").map(v -> Thread.currentThread() == caller).block());
      printGets("reactive");
    }
    try (StatefulRedisConnection<byte[], byte[]> b = client.connect(ByteArrayCodec.INSTANCE)) {
      byte[] first = b.sync().get("user:1".getBytes(StandardCharsets.UTF_8));
      first[0] = 'X';
      byte[] second = b.sync().get("user:1".getBytes(StandardCharsets.UTF_8));
      print("bytes.second", new String(second, StandardCharsets.UTF_8));
      second[0] = 'Y';
      print("bytes.third", new String(b.sync().get("user:1".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8));
      printGets("bytes");
    }
  }

  /** Read-your-writes, sync and pipelined async, and another connection's writes. */
  private void writes() throws Exception {
    List<String> stale = new ArrayList<>();
    try (StatefulRedisConnection<String, String> c = client.connect();
        StatefulRedisConnection<String, String> other = client.connect()) {
      RedisCommands<String, String> sync = c.sync();
      RedisAsyncCommands<String, String> async = c.async();
      for (int i = 0; i < 50; i++) {
        sync.get("user:w");
        sync.set("user:w", "s" + i);
        if (!("s" + i).equals(sync.get("user:w"))) {
          stale.add("sync" + i);
        }
        async.set("user:w", "a" + i); // not awaited: the GET right behind it must see it
        if (!("a" + i).equals(join(async.get("user:w")))) {
          stale.add("async" + i);
        }
        other.sync().set("user:w", "o" + i);
        if (!("o" + i).equals(sync.get("user:w"))) {
          stale.add("other" + i);
        }
        c.reactive().set("user:w", "r" + i).block();
        if (!("r" + i).equals(c.reactive().get("user:w").block())) {
          stale.add("reactive" + i);
        }
        sync.del("user:w");
        if (sync.get("user:w") != null) {
          stale.add("del" + i);
        }
      }
    }
    print("stale", stale.isEmpty() ? "none" : stale);
  }

  private void bypass() {
    server.call("SET", "session:1", "s");
    server.call("SET", "other:1", "o");
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      print("session", repeat(10, () -> c.sync().get("session:1")));
      print("other", repeat(10, () -> c.sync().get("other:1")));
    }
    printGets("after");
  }

  /** The RedisURI database (applied in Lettuce's handshake) and SELECT both scope the L1. */
  private void databases() {
    server.call("SET", "user:d", "db0");
    server.select(2);
    server.call("SET", "user:d", "db2");
    server.select(0);
    try (StatefulRedisConnection<String, String> db0 = client.connect();
        StatefulRedisConnection<String, String> db2 =
            client.connect(RedisURI.builder().withHost(host).withPort(port).withDatabase(2).build())) {
      print("db0.fill", repeat(5, () -> db0.sync().get("user:d")));
      print("db2", repeat(5, () -> db2.sync().get("user:d")));
      printGets("uri");
      db0.sync().select(2);
      print("db0.select2", repeat(5, () -> db0.sync().get("user:d")));
      printGets("select");
      try {
        db0.sync().select(99);
        print("badSelect", "accepted");
      } catch (RedisCommandExecutionException e) {
        print("badSelect", "refused");
      }
      print("afterBadSelect", db0.sync().get("user:d"));
      db2.sync().set("user:d", "db2-new");
      print("db0.afterDb2Write", db0.sync().get("user:d"));
    }
  }

  /** An ACL user given in the RedisURI authenticates in the handshake and gets its own scope. */
  private void users() {
    server.call("ACL", "SETUSER", "alice", "on", ">pw", "~*", "+@all");
    server.call("ACL", "SETUSER", "bob", "on", ">pw", "~other:*", "+@all");
    server.call("SET", "user:u", "s3");
    try (StatefulRedisConnection<String, String> def = client.connect();
        StatefulRedisConnection<String, String> alice =
            client.connect(RedisURI.builder().withHost(host).withPort(port).withAuthentication("alice", "pw").build());
        StatefulRedisConnection<String, String> bob =
            client.connect(RedisURI.builder().withHost(host).withPort(port).withAuthentication("bob", "pw").build())) {
      print("default", repeat(5, () -> def.sync().get("user:u")));
      printGets("default");
      print("alice", repeat(5, () -> alice.sync().get("user:u")));
      printGets("alice");
      try {
        print("bob", bob.sync().get("user:u"));
      } catch (RedisCommandExecutionException e) {
        print("bob", e.getMessage());
      }
    } finally {
      server.call("ACL", "DELUSER", "alice", "bob");
    }
  }

  private void errors() throws Exception {
    server.call("RPUSH", "user:list", "x");
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      for (int i = 0; i < 2; i++) {
        try {
          print("get" + i, c.sync().get("user:list"));
        } catch (RedisCommandExecutionException e) {
          print("get" + i, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
      }
      try {
        print("async", c.async().get("user:list").get());
      } catch (java.util.concurrent.ExecutionException e) {
        print("async", e.getCause().getClass().getSimpleName());
      }
      printGets("after");
      print("connectionStillWorks", c.sync().ping());
    }
  }

  /** MULTI/EXEC and manually flushed batches: reads go to Redis, writes invalidate. */
  private void transactions() throws Exception {
    server.call("SET", "user:t", "before");
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      c.sync().get("user:t");
      c.sync().get("user:t");
      printGets("filled");
      c.sync().multi();
      c.sync().get("user:t");
      c.sync().set("user:t", "in-multi");
      TransactionResult tx = c.sync().exec();
      print("tx.read", tx.get(0));
      printGets("tx");
      print("afterTx", c.sync().get("user:t"));
      print("afterTx.again", c.sync().get("user:t"));
      printGets("afterTx");
      c.setAutoFlushCommands(false);
      RedisFuture<String> r1 = c.async().get("user:t");
      RedisFuture<String> w = c.async().set("user:t", "batched");
      RedisFuture<String> r2 = c.async().get("user:t");
      c.flushCommands();
      print("batch.reads", join(r1) + "," + join(w) + "," + join(r2));
      c.setAutoFlushCommands(true);
      printGets("batch");
      print("afterBatch", c.sync().get("user:t"));
      print("afterBatch.again", c.sync().get("user:t"));
      printGets("afterBatch");
      c.sync().eval("redis.call('SET', KEYS[1], 'by-script')", io.lettuce.core.ScriptOutputType.STATUS, "user:t");
      print("afterEval", c.sync().get("user:t"));
    }
  }

  /** A GET that times out reaches the app as a timeout, is not cached, and the next one works. */
  private void timeout() {
    server.call("SET", "user:slow", "v");
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      c.setTimeout(java.time.Duration.ofMillis(200));
      server.call("CLIENT", "PAUSE", "1000", "ALL");
      try {
        print("paused", c.sync().get("user:slow"));
      } catch (io.lettuce.core.RedisCommandTimeoutException e) {
        print("paused", "timeout");
      }
      long deadline = System.nanoTime() + 5_000_000_000L;
      String after = null;
      while (after == null && System.nanoTime() < deadline) {
        try {
          after = c.sync().get("user:slow");
        } catch (io.lettuce.core.RedisCommandTimeoutException e) {
          // still paused
        }
      }
      print("after", after);
      long before = server.commandCalls("get");
      print("again", repeat(5, () -> c.sync().get("user:slow")));
      print("gets@again", server.commandCalls("get") - before);
    }
  }

  /**
   * A codec whose encodeValue hands back the caller's own ByteBuffer, so encoding drains it: if
   * anything but Lettuce's one write encodes the value, Redis receives an empty one.
   */
  private void codec() throws Exception {
    try (StatefulRedisConnection<String, ByteBuffer> c = client.connect(new SameBufferCodec())) {
      c.sync().set("user:c", utf8("sync-value"));
      print("server.sync", str(server.call("GET", "user:c")));
      join(c.async().set("user:c2", utf8("async-value")));
      print("server.async", str(server.call("GET", "user:c2")));
      c.reactive().set("user:c3", utf8("reactive-value")).block();
      print("server.reactive", str(server.call("GET", "user:c3")));
      c.sync().multi();
      c.sync().set("user:c4", utf8("multi-value"));
      c.sync().exec();
      print("server.multi", str(server.call("GET", "user:c4")));
      print("read", repeat(5, () -> utf8(c.sync().get("user:c"))));
      // dispatch(Collection), as command interfaces with @BatchSize use it.
      SameBufferCodec codec = new SameBufferCodec();
      AsyncCommand<String, ByteBuffer, String> batched =
          new AsyncCommand<>(
              new Command<>(
                  CommandType.SET,
                  new StatusOutput<>(codec),
                  new CommandArgs<>(codec).addKey("user:c5").addValue(utf8("batch-value"))));
      c.dispatch(List.of(batched));
      batched.get(10, java.util.concurrent.TimeUnit.SECONDS);
      print("server.batch", str(server.call("GET", "user:c5")));
    }
    print("encodeValue.calls", SameBufferCodec.VALUES_ENCODED.get());
  }

  /** Keys as UTF-8, values as the very buffers the application passes in. */
  static final class SameBufferCodec implements RedisCodec<String, ByteBuffer> {
    static final java.util.concurrent.atomic.AtomicInteger VALUES_ENCODED = new java.util.concurrent.atomic.AtomicInteger();

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

  private static ByteBuffer utf8(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String utf8(ByteBuffer b) {
    return b == null ? null : StandardCharsets.UTF_8.decode(b.duplicate()).toString();
  }

  /**
   * The socket is killed with a write and reads on it, unanswered: Lettuce reconnects and writes
   * them again. A BLPOP ahead of them keeps Redis from running any of them on either socket until
   * the test pushes to its list.
   */
  private void reconnect() throws Exception {
    // Lettuce does not always replay a BLPOP that was blocked when its socket was killed (seen
    // about once in fifteen runs, with and without the agent); such a run cannot set up the
    // ordering this scenario is about, so it starts over on fresh connections.
    for (int attempt = 1; attempt <= 3; attempt++) {
      if (reconnectAttempt()) {
        print("attempts", attempt);
        return;
      }
    }
    throw new IllegalStateException("Lettuce never replayed the blocked BLPOP in 3 attempts");
  }

  /** One run of {@link #reconnect}; false when Lettuce did not replay the BLPOP. */
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
      awaitBlpop(-1);
      RedisFuture<String> set = c.async().set("user:r1", "new");
      RedisFuture<String> get2 = c.async().get("user:r2");
      RedisFuture<String> get1 = c.async().get("user:r1");
      server.call("CLIENT", "KILL", "ID", Long.toString(id));
      if (findBlpop(id) < 0) {
        return false;
      }
      print("reconnected", true);
      // The replayed SET has not run yet: another connection reads, and may cache, the old value.
      print("other.during", other.sync().get("user:r1"));
      // Behind the replayed SET on the wire: must not be answered from the L1.
      RedisFuture<String> get1b = c.async().get("user:r1");
      server.call("RPUSH", "queue", "go");
      print("blpop", blocked.get(10, java.util.concurrent.TimeUnit.SECONDS).getValue());
      print("set", set.get(10, java.util.concurrent.TimeUnit.SECONDS));
      print("get2", get2.get(10, java.util.concurrent.TimeUnit.SECONDS));
      print("get1", get1.get(10, java.util.concurrent.TimeUnit.SECONDS));
      print("get1b", get1b.get(10, java.util.concurrent.TimeUnit.SECONDS));
      print("after", repeat(5, () -> c.sync().get("user:r1")));
      print("other.after", repeat(5, () -> other.sync().get("user:r1")));
      long before = server.commandCalls("get");
      print("hot", repeat(5, () -> c.sync().get("user:r2")));
      print("gets@hot", server.commandCalls("get") - before);
    }
    print("server.r1", str(server.call("GET", "user:r1")));
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
  private void exec() throws Exception {
    List<String> stale = new ArrayList<>();
    int primed = 0;
    try (StatefulRedisConnection<String, String> c = client.connect();
        StatefulRedisConnection<String, String> other = client.connect();
        StatefulRedisConnection<String, String> filler = client.connect()) {
      long id = c.sync().clientId();
      for (int i = 0; i < 100; i++) {
        String key = "user:x" + i;
        c.sync().set(key, "old");
        c.sync().multi();
        RedisFuture<String> set = c.async().set(key, "new");
        java.util.concurrent.CompletableFuture<RedisFuture<String>> seenBySet =
            set.toCompletableFuture().thenApply(ok -> other.async().get(key));
        awaitQueued(id, 1); // the SET's bytes reached Redis: its first invalidation is done
        if (cacheOnOther(other, key)) {
          primed++;
        }
        c.setAutoFlushCommands(false);
        RedisFuture<TransactionResult> exec = c.async().exec();
        java.util.concurrent.CompletableFuture<RedisFuture<String>> seenByExec =
            exec.toCompletableFuture().thenApply(tx -> other.async().get(key));
        c.flushCommands();
        c.setAutoFlushCommands(true);
        String bySet = join(seenBySet.get(10, java.util.concurrent.TimeUnit.SECONDS));
        String byExec = join(seenByExec.get(10, java.util.concurrent.TimeUnit.SECONDS));
        if (!"new".equals(bySet)) {
          stale.add("set" + i + "=" + bySet);
        }
        if (!"new".equals(byExec)) {
          stale.add("exec" + i + "=" + byExec);
        }
      }
      print("callback.primed", primed);

      String key = "user:xs";
      c.sync().set(key, "v-1");
      java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
      Thread fill =
          new Thread(
              () -> {
                while (!stop.get()) {
                  filler.sync().get(key);
                }
              });
      fill.start();
      try {
        for (int i = 0; i < 300; i++) {
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
    print("stale", stale.isEmpty() ? "none" : stale);
  }

  /** Reads {@code key} through {@code other} until it is answered from the L1; false if never. */
  private boolean cacheOnOther(StatefulRedisConnection<String, String> other, String key) {
    for (int i = 0; i < 20; i++) {
      long gets = server.commandCalls("get");
      other.sync().get(key);
      if (server.commandCalls("get") == gets) {
        return true;
      }
    }
    return false;
  }

  /** Waits until client {@code id} has {@code count} commands queued in its MULTI. */
  private void awaitQueued(long id, int count) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      for (String line : str(server.call("CLIENT", "LIST", "ID", Long.toString(id))).split("\r?\n")) {
        if (line.contains(" multi=" + count + " ")) {
          return;
        }
      }
      Thread.sleep(1);
    }
    throw new IllegalStateException("client " + id + " never had " + count + " queued command(s)");
  }

  /** The id of the client blocked in BLPOP other than {@code not}, once there is one. */
  private long awaitBlpop(long not) throws InterruptedException {
    long id = findBlpop(not);
    if (id < 0) {
      // Say what the server saw, so a failure in a long CI run can be read without a rerun.
      throw new IllegalStateException(
          "no client other than " + not + " blocked in BLPOP within 10 s; CLIENT LIST:\n"
              + str(server.call("CLIENT", "LIST")));
    }
    return id;
  }

  /** Like {@link #awaitBlpop}, but -1 after 10 s without one. */
  private long findBlpop(long not) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      for (String line : str(server.call("CLIENT", "LIST")).split("\r?\n")) {
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

  /**
   * Readers share one connection and hammer a key while a writer changes it, on its own connection
   * and, every other time, through the readers' shared connection without waiting: the writer must
   * always read its own write, and once it stops every reader must see the last value.
   */
  private void race() throws Exception {
    server.call("SET", "user:race", "0");
    try (StatefulRedisConnection<String, String> shared = client.connect();
        StatefulRedisConnection<String, String> writer = client.connect()) {
      new io.redisl1.it.ReadersRacingAWriter(
              () -> shared.sync().get("user:race"),
              i -> {
                String value = Integer.toString(i);
                if (i % 2 == 0) {
                  writer.sync().set("user:race", value);
                  return writer.sync().get("user:race");
                }
                shared.async().set("user:race", value); // not awaited: the GET behind it must see it
                return shared.sync().get("user:race");
              })
          .run(2_000);
    }
  }


  /** Against a server that wants a password, a client without one fails as without the agent. */
  private void noauth() {
    server.call("SET", "user:na", "secret");
    for (int i = 0; i < 2; i++) {
      try (StatefulRedisConnection<String, String> c = client.connect()) {
        print("get" + i, c.sync().get("user:na"));
      } catch (RuntimeException e) {
        Throwable root = e;
        while (root.getCause() != null) {
          root = root.getCause();
        }
        print("get" + i, e.getClass().getSimpleName() + " caused by " + root.getMessage());
      }
    }
  }

  /** A closed connection fails a GET as it would without the agent, even when the L1 holds it. */
  private void closed() {
    server.call("SET", "user:c", "v");
    StatefulRedisConnection<String, String> c = client.connect();
    print("open", c.sync().get("user:c"));
    c.close();
    try {
      print("afterClose", c.sync().get("user:c"));
    } catch (RuntimeException e) {
      print("afterClose", e.getClass().getSimpleName());
    }
    printGets("after");
  }

  /** The simplest program: for versions the agent must leave alone. */
  private void plain() {
    server.call("SET", "user:p", "v");
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      print("value", repeat(5, () -> c.sync().get("user:p")));
    }
    printGets("after");
  }

  /** Spring Data Redis's StringRedisTemplate on a LettuceConnectionFactory, default settings. */
  private void spring() {
    RedisStandaloneConfiguration config = new RedisStandaloneConfiguration(host, port);
    config.setDatabase(3);
    LettuceConnectionFactory factory = new LettuceConnectionFactory(config);
    factory.afterPropertiesSet();
    try {
      StringRedisTemplate template = new StringRedisTemplate(factory);
      template.opsForValue().set("user:sp", "v1");
      print("first", template.opsForValue().get("user:sp"));
      print("rest", repeat(50, () -> template.opsForValue().get("user:sp")));
      printGets("hits");
      template.opsForValue().set("user:sp", "v2");
      print("afterWrite", template.opsForValue().get("user:sp"));
      printGets("end");
      server.select(3);
      print("server.db3", str(server.call("GET", "user:sp")));
      server.select(0);
      print("db0", str(server.call("EXISTS", "user:sp")));

      // A RedisTemplate with String keys and JDK-serialized values: the L1 holds the serialized
      // bytes, and every hit is deserialized afresh by the template, like a reply.
      org.springframework.data.redis.core.RedisTemplate<String, Object> objects =
          new org.springframework.data.redis.core.RedisTemplate<>();
      objects.setConnectionFactory(factory);
      objects.setKeySerializer(org.springframework.data.redis.serializer.RedisSerializer.string());
      objects.afterPropertiesSet();
      java.util.ArrayList<Integer> list = new java.util.ArrayList<>(List.of(1, 2, 3));
      objects.opsForValue().set("user:obj", list);
      long before = server.commandCalls("get");
      Object first = objects.opsForValue().get("user:obj");
      Object second = objects.opsForValue().get("user:obj");
      print("objects.equal", list.equals(first) && list.equals(second));
      print("objects.distinct", first != second);
      print("objects.gets", server.commandCalls("get") - before);
    } finally {
      factory.destroy();
    }
  }

  private static String str(Object reply) {
    return reply instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(reply);
  }

  private static <T> T join(RedisFuture<T> f) {
    try {
      return f.get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
