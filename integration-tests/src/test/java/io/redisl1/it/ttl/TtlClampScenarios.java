package io.redisl1.it.ttl;

import io.redisl1.testsupport.RespClient;
import java.util.List;

/**
 * Entries never outlive the key in Redis: run in a forked JVM under the agent by {@link
 * TtlClampTest}, once per client API ({@code args[0]}: jedis, jedis-pool, jedis-pooled,
 * lettuce-sync, lettuce-async, lettuce-reactive). Keys are set and watched through a raw {@link
 * RespClient} the agent does not touch; whether an app GET reached Redis is read from the
 * server's own count (INFO commandstats) around it. Prints {@code name=value} lines.
 */
public final class TtlClampScenarios {
  private final RespClient server;
  private final TtlApp app;

  private TtlClampScenarios(RespClient server, TtlApp app) {
    this.server = server;
    this.app = app;
  }

  public static void main(String[] args) throws Exception {
    String host = args[1];
    int port = Integer.parseInt(args[2]);
    // "baseline:<client>": the same client without the agent, for the replies the app must see.
    boolean baseline = args[0].startsWith("baseline:");
    String client = baseline ? args[0].substring("baseline:".length()) : args[0];
    try (RespClient server = new RespClient(host, port);
        TtlApp app = open(client, host, port)) {
      server.flushAll();
      TtlClampScenarios s = new TtlClampScenarios(server, app);
      s.warmUp();
      if (!baseline) {
        s.expiringKey();
        s.keyWithoutExpiry();
        s.keyExpiringWithinTheMargin();
        s.expireFromOutside();
        s.persistFromOutside();
      }
      s.repliesAsWithoutTheAgent();
      s.pipelinesAndMulti();
    }
  }

  private static TtlApp open(String client, String host, int port) {
    switch (client) {
      case "jedis":
        return JedisTtlApps.jedis(host, port);
      case "jedis-pool":
        return JedisTtlApps.pool(host, port);
      case "jedis-pooled":
        return JedisTtlApps.pooled(host, port);
      default:
        if (client.startsWith("lettuce-")) {
          return LettuceTtlApps.of(client.substring("lettuce-".length()), host, port);
        }
        throw new IllegalArgumentException("unknown client " + client);
    }
  }

  /** Loads and compiles the client's GET path, so the timed sections measure the L1, not class loading. */
  private void warmUp() {
    server.call("SET", "user:warm", "w");
    for (int i = 0; i < 200; i++) {
      app.get("user:warm");
      app.get("other:warm");
    }
  }

  /**
   * A key set with PX 300 by another client: hits while it lives, and none once Redis has surely
   * dropped it. A hit counts as after the expiry only if its GET began more than 300ms after the
   * SET returned (by then Redis, which ran the SET earlier, has dropped the key); scheduling stalls
   * can only make such GETs rarer, never make a legitimate hit look late.
   */
  private void expiringKey() throws InterruptedException {
    server.resetStats();
    server.call("SET", "user:px", "v", "PX", "300");
    long set = System.nanoTime();
    long hits = 0;
    long hitsAfterExpiry = 0;
    long getsAfterExpiry = 0;
    while (System.nanoTime() - set < 800_000_000L) {
      long before = server.commandCalls("get");
      long begun = System.nanoTime();
      String v = app.get("user:px");
      boolean reachedRedis = server.commandCalls("get") > before;
      boolean expired = begun - set > 300_000_000L;
      if (expired) {
        getsAfterExpiry++;
      }
      if (!reachedRedis && "v".equals(v)) {
        hits++;
        if (expired) {
          hitsAfterExpiry++;
        }
      }
      Thread.sleep(2);
    }
    print("px.hits", hits);
    print("px.getsAfterExpiry", getsAfterExpiry);
    print("px.hitsAfterExpiry", hitsAfterExpiry);
    print("px.pttl", server.call("PTTL", "user:px"));
    print("px.final", app.get("user:px"));
  }

  /**
   * No expiry in Redis: the rule's TTL (400ms for "rule:") bounds the entry, counted from the start
   * of the last GET that reached Redis before the hits (see the Lettuce note in the README: a GET
   * right behind a fill may still go to Redis).
   */
  private void keyWithoutExpiry() throws InterruptedException {
    server.call("SET", "rule:k", "v");
    server.resetStats();
    long start = System.nanoTime();
    long fillStart = start;
    app.get("rule:k");
    long hits = 0;
    long l1EndMs = -1;
    while (System.nanoTime() - start < 5_000_000_000L) {
      long before = server.commandCalls("get");
      long t = System.nanoTime();
      String v = app.get("rule:k");
      if (server.commandCalls("get") > before) {
        if (hits == 0) {
          fillStart = t; // the previous fill had not landed yet: this GET fills again
          continue;
        }
        l1EndMs = (t - fillStart) / 1_000_000;
        print("rule.fromRedis", v);
        break;
      }
      hits++;
      Thread.sleep(5);
    }
    print("rule.hits", hits);
    print("rule.l1EndMsAfterFill", l1EndMs);
  }

  /** A key with less time left than the margin (50ms) is not cached: both GETs reach Redis. */
  private void keyExpiringWithinTheMargin() {
    for (int attempt = 1; attempt <= 5; attempt++) {
      server.call("DEL", "user:brief");
      server.call("SET", "user:brief", "v", "PX", "45");
      server.resetStats();
      String first = app.get("user:brief");
      String second = app.get("user:brief");
      if ("v".equals(first) && "v".equals(second)) {
        print("margin.attempts", attempt);
        print("margin.gets", server.commandCalls("get"));
        print("margin.pttls", server.commandCalls("pttl"));
        return;
      }
    }
    print("margin.attempts", "none read the key twice before it expired");
  }

  /**
   * With {@code invalidation: ttl}, a PEXPIRE from another client after the fill is not seen by
   * the L1: the lifetime the fill got (the rule's 400ms, the key having no expiry then) is what
   * bounds it. Prints when the last hit began after the fill's GET began, and what the first GET
   * to reach Redis after the hits read.
   */
  private void expireFromOutside() throws InterruptedException {
    server.call("SET", "rule:e", "v");
    long fill = fillAndWaitForAHit("rule:e");
    server.call("PEXPIRE", "rule:e", "100");
    String[] fromRedis = new String[1];
    print("expire.lastHitMsAfterFill", lastHitMsAfter(fill, "rule:e", fromRedis));
    print("expire.fromRedis", fromRedis[0]);
  }

  /**
   * A key set with PX 300 and filled with that clamp, then PERSISTed by another client: the L1
   * entry still ends within the 300ms the fill was told (no hit begins later than that after the
   * SET); the next GET reads the key from Redis and fills again, now for the rule's TTL.
   */
  private void persistFromOutside() throws InterruptedException {
    server.call("SET", "user:persist", "v", "PX", "300");
    long set = System.nanoTime();
    fillAndWaitForAHit("user:persist");
    server.call("PERSIST", "user:persist");
    String[] fromRedis = new String[1];
    print("persist.lastHitMsAfterSet", lastHitMsAfter(set, "user:persist", fromRedis));
    print("persist.fromRedis", fromRedis[0]);
    long hitsAfter = 0;
    for (int i = 0; i < 20; i++) {
      long before = server.commandCalls("get");
      if ("v".equals(app.get("user:persist")) && server.commandCalls("get") == before) {
        hitsAfter++;
      }
    }
    print("persist.hitsAfterRefill", hitsAfter);
  }

  /** GETs {@code key} until one is answered by the L1; returns when the GET that filled began. */
  private long fillAndWaitForAHit(String key) {
    long fill = System.nanoTime();
    for (int i = 0; i < 100; i++) {
      long before = server.commandCalls("get");
      long t = System.nanoTime();
      app.get(key);
      if (server.commandCalls("get") == before) {
        return fill;
      }
      fill = t;
    }
    throw new IllegalStateException(key + " was never answered by the L1");
  }

  /**
   * Reads {@code key} (answered by the L1 when called) until a GET reaches Redis, for at most 3 s;
   * returns when the last L1 hit began, in ms after {@code from}, or -1, and puts what the GET
   * that reached Redis read in {@code fromRedis[0]}.
   */
  private long lastHitMsAfter(long from, String key, String[] fromRedis) throws InterruptedException {
    long lastHit = -1;
    while (System.nanoTime() - from < 3_000_000_000L) {
      long before = server.commandCalls("get");
      long begun = System.nanoTime();
      String v = app.get(key);
      if (server.commandCalls("get") > before) {
        fromRedis[0] = v;
        break;
      }
      lastHit = (begun - from) / 1_000_000;
      Thread.sleep(2);
    }
    return lastHit;
  }

  /** What the app sees for a value, a nil and a WRONGTYPE error; PTTLs only for cacheable misses. */
  private void repliesAsWithoutTheAgent() {
    server.call("SET", "user:r", "value");
    server.call("RPUSH", "user:list", "a");
    server.resetStats();
    print("replies.value", app.get("user:r"));
    print("replies.valueAgain", app.get("user:r"));
    print("replies.nil", app.get("user:missing"));
    print("replies.uncached", app.get("other:missing"));
    try {
      print("replies.wrongtype", app.get("user:list"));
    } catch (RuntimeException e) {
      print("replies.wrongtype", e.getClass().getName() + ": " + e.getMessage());
    }
    print("replies.afterError", app.get("user:r"));
    print("replies.gets", server.commandCalls("get"));
    print("replies.pttls", server.commandCalls("pttl"));
  }

  /**
   * GETs in MULTI carry no PTTL, fill nothing, and reply as they would. In a pipeline they reply as
   * they would too; a Jedis pipeline sends no PTTL and fills nothing, a Lettuce batch writes each
   * GET with its PTTL ahead, so those fill.
   */
  private void pipelinesAndMulti() {
    server.call("SET", "user:p1", "a");
    server.call("SET", "user:p2", "b");
    server.resetStats();
    List<Object> piped = app.pipelinedGets("user:p1", "user:p2", "user:none");
    print("pipe.replies", piped);
    print("pipe.pttls", server.commandCalls("pttl"));
    List<Object> again = app.pipelinedGets("user:p1");
    print("pipe.again", again);
    print("pipe.gets", server.commandCalls("get"));
    server.resetStats();
    print("multi.exec", app.multiGet("user:p1"));
    print("multi.pttls", server.commandCalls("pttl"));
    print("multi.gets", server.commandCalls("get"));
  }

  private static void print(String name, Object value) {
    System.out.println(name + "=" + value);
  }
}
