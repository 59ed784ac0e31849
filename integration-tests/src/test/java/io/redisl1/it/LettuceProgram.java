package io.redisl1.it;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.redisl1.testsupport.RespClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Small Lettuce programs for the forked-JVM tests whose subject is the JVM itself (another agent,
 * unsupported versions, the newest JDK, a password-protected server); what the agent promises an
 * application is proven by the client contract (io.redisl1.it.contract). Each prints {@code
 * name=value} lines; {@code gets@...} values are the server's own count of GETs (INFO
 * commandstats), read through a raw socket the agent does not touch.
 */
public final class LettuceProgram {
  private final RespClient server;
  private final String host;
  private final int port;
  private final RedisClient client;

  private LettuceProgram(String host, int port) {
    this.host = host;
    this.port = port;
    this.server = new RespClient(host, port);
    this.client = RedisClient.create(RedisURI.create(host, port));
  }

  public static void main(String[] args) throws Exception {
    LettuceProgram s = new LettuceProgram(args[1], Integer.parseInt(args[2]));
    if (args[0].equals("noauth")) {
      s.server.call("AUTH", NoAuthTest.PASSWORD);
    }
    s.server.flushAll();
    s.server.resetStats();
    try {
      switch (args[0]) {
        case "hits" -> s.hits();
        case "writes" -> s.writes();
        case "transactions" -> s.transactions();
        case "plain" -> s.plain();
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


  /** The simplest program: for versions the agent must leave alone. */
  private void plain() {
    server.call("SET", "user:p", "v");
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      print("value", repeat(5, () -> c.sync().get("user:p")));
    }
    printGets("after");
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
