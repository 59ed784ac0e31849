package io.redisl1.it.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.redisl1.it.contract.Client.Pending;
import io.redisl1.testsupport.RedisEndpoint;
import io.redisl1.testsupport.RedisServerExtension;
import io.redisl1.testsupport.RespClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the agent promises an application, written once and proven on every client entry point
 * and version: each subclass is a small adapter ({@link EntryPoint}) for one entry point, and the
 * surefire executions {@code contract-*} in integration-tests/pom.xml run the subclasses inside a
 * JVM started with {@code -javaagent:} the agent jar of this build, the configuration in {@code
 * redis-l1.yaml} beside this class, and one client version on the class path.
 *
 * <p>Everything runs against a real redis-server (one per subclass). What reached Redis is counted
 * by the server itself ({@code INFO commandstats}) through {@link RespClient}, a raw socket the
 * agent does not instrument. The L1 lives as long as the JVM, so every case works on keys of its
 * own ({@link #key}) and counts GETs as differences.
 */
public abstract class ClientContract implements EntryPoint {
  /** Set by the contract executions; without it the class is not under the agent and skips. */
  static final String EXECUTION = "redisl1test.contract.execution";

  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private final List<Client> opened = new ArrayList<>();
  private RespClient server;
  private String testName;
  private int keys;

  @BeforeAll
  static void underTheAgent() {
    String execution = System.getProperty(EXECUTION);
    org.junit.jupiter.api.Assumptions.assumeTrue(
        execution != null,
        "the client contract runs only under -javaagent, in the contract-* surefire executions of integration-tests");
    try {
      // The agent puts its relocated classes on the bootstrap path: visible to a null loader.
      Class.forName("io.redisl1.shaded.caffeine.cache.Caffeine", false, null);
    } catch (ClassNotFoundException e) {
      fail("surefire execution " + execution + " did not start the JVM with the agent (-javaagent in its argLine)");
    }
  }

  @BeforeEach
  void connect(TestInfo info) {
    server = REDIS.endpoint().connect();
    testName = info.getTestMethod().orElseThrow().getName();
  }

  @AfterEach
  void closeAll() {
    for (Client c : opened) {
      try {
        c.close();
      } catch (RuntimeException e) {
        // A connection a timeout case broke may refuse to close cleanly; the next case opens its own.
      }
    }
    opened.clear();
    server.close();
  }

  // ---------------------------------------------------------------- hits and misses

  @Test
  void aMissSendsOneGetAndHitsSendNothing() {
    String k = key("user:");
    server.call("SET", k, "alice");
    Client c = open();
    long before = gets();
    long[] counted = agentCounts(k);

    assertEquals("alice", c.get(k));
    assertEquals(before + 1, gets(), "the first read is a miss: one GET");
    for (int i = 0; i < 50; i++) {
      assertEquals("alice", c.get(k));
    }
    assertEquals(before + 1, gets(), "hits must send nothing");

    Client other = open();
    assertEquals("alice", other.get(k));
    assertEquals(before + 1, gets(), "another client of this entry point shares the L1");
    c.set(k, "bob");
    assertEquals("bob", c.get(k), "a miss on a client that has been reading a while");
    assertEquals(before + 2, gets());
    long[] now = agentCounts(k);
    assertEquals(51, now[0] - counted[0], "the agent counts each hit once");
    assertEquals(2, now[1] - counted[1], "the agent counts each miss once");
  }

  /** The agent's own hit and miss counts of the rule caching {@code key}, from the bootstrap class path. */
  private static long[] agentCounts(String key) {
    try {
      Object runtime = Class.forName("io.redisl1.store.L1Runtime").getMethod("current").invoke(null);
      Object rule = runtime.getClass().getMethod("cachingRule", byte[].class)
          .invoke(runtime, (Object) key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      Object stats = rule.getClass().getMethod("stats").invoke(rule);
      return new long[] {
        (long) stats.getClass().getMethod("hits").invoke(stats), (long) stats.getClass().getMethod("misses").invoke(stats)
      };
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("the agent's figures are not reachable", e);
    }
  }

  @Test
  void bypassedAndUnmatchedPrefixesAlwaysGoToRedis() {
    String bypassed = key("session:");
    String unmatched = key("other:");
    server.call("SET", bypassed, "s");
    server.call("SET", unmatched, "o");
    Client c = open();
    long before = gets();

    for (int i = 0; i < 10; i++) {
      assertEquals("s", c.get(bypassed));
      assertEquals("o", c.get(unmatched));
    }
    assertEquals(before + 20, gets(), "every GET of a key no caching rule matches reaches Redis");
  }

  @Test
  void nilIsCachedOnlyWhereARuleAsks() {
    String plain = key("user:");
    String negative = key("neg:");
    Client c = open();
    long before = gets();

    for (int i = 0; i < 5; i++) {
      assertNull(c.get(plain));
    }
    assertEquals(before + 5, gets(), "nil is not cached without cache-nil");
    for (int i = 0; i < 5; i++) {
      assertNull(c.get(negative));
    }
    assertEquals(before + 6, gets(), "cache-nil: true answers the repeats");

    c.set(negative, "now-present");
    assertEquals("now-present", c.get(negative), "a write replaces a cached nil");
  }

  @Test
  void valuesOverTheSizeLimitAreNeverCached() {
    String big = key("user:");
    String small = key("user:");
    server.call("SET", big, "x".repeat(300 * 1024));
    server.call("SET", small, "x".repeat(1024));
    Client c = open();
    long before = gets();

    for (int i = 0; i < 5; i++) {
      assertEquals(300 * 1024, c.get(big).length());
    }
    assertEquals(before + 5, gets(), "300KB is over max-value-size (256KB)");
    for (int i = 0; i < 5; i++) {
      assertEquals(1024, c.get(small).length());
    }
    assertEquals(before + 6, gets(), "1KB is cached");
  }

  @Test
  void aWriteFromOutsideIsSeenOnceTheRuleTtlRunsOut() throws InterruptedException {
    String k = key("short:"); // ttl 300ms; this suite runs with invalidation: ttl (see its config)
    server.call("SET", k, "old");
    Client c = open();

    assertEquals("old", c.get(k));
    server.call("SET", k, "new"); // not through this JVM: only the rule's TTL bounds it here
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!"new".equals(c.get(k))) {
      assertTrue(System.nanoTime() < deadline, "an outside write was not seen within 5 s (rule ttl 300ms)");
      Thread.sleep(1);
    }
  }

  // ---------------------------------------------------------------- writes

  @Test
  void everyWriteThroughTheClientIsReadBackAtOnce() {
    Client c = open();
    Client other = open();
    String k;

    k = cached(c, other, "v1");
    assertEquals("OK", c.set(k, "v2"));
    readsBack(c, other, k, "v2", "typed SET");

    k = cached(c, other, "v1");
    assertEquals(1L, c.del(k));
    readsBack(c, other, k, null, "typed DEL");

    k = cached(c, other, "v1");
    assertEquals("OK", c.call("SET", k, "raw"));
    readsBack(c, other, k, "raw", "SET");

    k = cached(c, other, "v1");
    assertEquals("v1", c.call("SET", k, "with-get", "GET"));
    readsBack(c, other, k, "with-get", "SET GET");

    k = cached(c, other, "v1");
    c.call("SETEX", k, "100", "setex");
    readsBack(c, other, k, "setex", "SETEX");

    k = cached(c, other, "v1");
    c.call("PSETEX", k, "100000", "psetex");
    readsBack(c, other, k, "psetex", "PSETEX");

    k = cached(c, other, "v1");
    assertEquals(3L, c.call("APPEND", k, "+"));
    readsBack(c, other, k, "v1+", "APPEND");

    k = cached(c, other, "v1");
    c.call("SETRANGE", k, "0", "V");
    readsBack(c, other, k, "V1", "SETRANGE");

    k = cached(c, other, "v1");
    assertEquals("v1", c.call("GETSET", k, "getset"));
    readsBack(c, other, k, "getset", "GETSET");

    k = cached(c, other, "v1");
    assertEquals("v1", c.call("GETDEL", k));
    readsBack(c, other, k, null, "GETDEL");

    k = cached(c, other, "v1");
    assertEquals("v1", c.call("GETEX", k, "PX", "1"));
    awaitGone(k);
    readsBack(c, other, k, null, "GETEX PX");

    k = cached(c, other, "1");
    assertEquals(2L, c.call("INCR", k));
    readsBack(c, other, k, "2", "INCR");

    k = cached(c, other, "1");
    assertEquals(11L, c.call("INCRBY", k, "10"));
    readsBack(c, other, k, "11", "INCRBY");

    k = cached(c, other, "1");
    assertEquals(0L, c.call("DECR", k));
    readsBack(c, other, k, "0", "DECR");

    k = cached(c, other, "1");
    assertEquals(-9L, c.call("DECRBY", k, "10"));
    readsBack(c, other, k, "-9", "DECRBY");

    k = cached(c, other, "1");
    assertEquals("1.5", c.call("INCRBYFLOAT", k, "0.5"));
    readsBack(c, other, k, "1.5", "INCRBYFLOAT");

    k = cached(c, other, "v1");
    String second = cached(c, other, "w1");
    c.call("MSET", second, "w2", k, "mset");
    readsBack(c, other, k, "mset", "MSET, last key");
    readsBack(c, other, second, "w2", "MSET, first key");

    k = key("user:");
    assertNull(c.get(k));
    assertEquals(1L, c.call("MSETNX", k, "msetnx"));
    readsBack(c, other, k, "msetnx", "MSETNX");

    k = cached(c, other, "v1");
    assertEquals(1L, c.call("UNLINK", k));
    readsBack(c, other, k, null, "UNLINK");

    String from = cached(c, other, "from");
    String to = cached(c, other, "to");
    assertEquals("OK", c.call("RENAME", from, to));
    readsBack(c, other, to, "from", "RENAME, destination");
    readsBack(c, other, from, null, "RENAME, source");

    from = cached(c, other, "from");
    to = key("user:");
    assertNull(c.get(to));
    assertEquals(1L, c.call("RENAMENX", from, to));
    readsBack(c, other, from, null, "RENAMENX, source");
    readsBack(c, other, to, "from", "RENAMENX, destination");

    String source = cached(c, other, "c1");
    k = cached(c, other, "c2");
    assertEquals(1L, c.call("COPY", source, k, "REPLACE"));
    readsBack(c, other, k, "c1", "COPY REPLACE");

    k = cached(c, other, "moving");
    assertEquals(1L, c.call("MOVE", k, "3"));
    readsBack(c, other, k, null, "MOVE");

    k = cached(c, other, "v1");
    assertEquals(1L, c.call("PEXPIRE", k, "1"));
    awaitGone(k);
    readsBack(c, other, k, null, "PEXPIRE");

    k = cached(c, other, "v1");
    assertEquals(1L, c.call("EXPIREAT", k, "1"));
    readsBack(c, other, k, null, "EXPIREAT in the past");

    k = cached(c, other, "from-db0");
    inDb(4, "SET", k, "from-db4");
    assertEquals("OK", c.call("SWAPDB", "0", "4"));
    readsBack(c, other, k, "from-db4", "SWAPDB");
    assertEquals("OK", c.call("SWAPDB", "0", "4"));
    readsBack(c, other, k, "from-db0", "SWAPDB back");
  }

  @Test
  void aWriteThroughAnotherClientIsSeenAtOnce() {
    Client c = open();
    Client writer = open();
    String k = cached(c, writer, "v1");

    for (int i = 0; i < 20; i++) {
      writer.set(k, "w" + i);
      assertEquals("w" + i, c.get(k), "round " + i);
    }
  }

  @Test
  void anUnawaitedWriteIsSeenByTheNextRead() {
    Client c = open();
    String k = key("user:");

    for (int i = 0; i < 20; i++) {
      assertEquals(i == 0 ? null : "a" + (i - 1), c.get(k));
      Pending write = c.send("SET", k, "a" + i);
      assertEquals("a" + i, c.get(k), "a GET sent behind an unanswered SET must not be answered from the L1; round " + i);
      assertEquals("OK", write.await());
    }
  }

  // ---------------------------------------------------------------- databases and users

  @Test
  void aConfiguredDatabaseHasItsOwnEntries() {
    String k = key("user:");
    server.call("SET", k, "db0");
    inDb(2, "SET", k, "db2");
    Client db0 = open();
    Client db2 = open(Scope.DEFAULT.db(2));
    long before = gets();

    assertEquals("db0", db0.get(k));
    assertEquals("db2", db2.get(k), "a client configured for db 2 was served db 0's entry");
    assertEquals("db0", db0.get(k));
    assertEquals("db2", db2.get(k));
    assertEquals(before + 2, gets(), "one miss per database, then hits");

    db2.set(k, "db2-new");
    assertEquals("db2-new", db2.get(k));
    assertEquals("db0", db0.get(k), "a write in db 2 is not a write in db 0");
  }

  @Test
  void selectMovesTheConnectionToTheOtherDatabasesEntries() {
    String k = key("user:");
    server.call("SET", k, "db0");
    inDb(1, "SET", k, "db1");
    Client c = open();
    c.select(0); // the entry points without SELECT stop here, skipped with their reason
    long before = gets();

    assertEquals("db0", c.get(k));
    c.select(1);
    assertEquals("db1", c.get(k), "after SELECT 1 the connection reads db 1");
    assertEquals("db1", c.get(k));
    c.select(0);
    assertEquals("db0", c.get(k));
    assertEquals(before + 2, gets(), "one miss per database, then hits");

    assertErrorReply("DB index is out of range", () -> c.select(99));
    assertEquals("db0", c.get(k), "a refused SELECT must not change the scope");
  }

  @Test
  void eachAclUserHasItsOwnEntries() {
    String k = userKeyAndUsers();
    Client asDefault = open();
    Client asAlice = open(Scope.DEFAULT.as("alice", "pw"));
    Client asBob = open(Scope.DEFAULT.as("bob", "pw"));
    long before = gets();

    assertEquals("s3", asDefault.get(k));
    assertEquals("s3", asDefault.get(k));
    assertEquals(before + 1, gets());
    assertEquals("s3", asAlice.get(k));
    assertEquals("s3", asAlice.get(k));
    assertEquals(before + 2, gets(), "alice must not be served default's entry");
    // Redis counts no call for a command its ACL refused: the NOPERM itself proves the GET reached it.
    assertErrorReply("NOPERM", () -> asBob.get(k));
    assertErrorReply("NOPERM", () -> asBob.get(k));
  }

  @Test
  void authMovesTheConnectionToTheNewUsersEntries() {
    String k = userKeyAndUsers();
    Client c = open();
    c.auth("alice", "pw"); // the entry points without AUTH stop here, skipped with their reason

    assertEquals("s3", c.get(k));
    c.auth("bob", "pw");
    assertErrorReply("NOPERM", () -> c.get(k));
  }

  // ---------------------------------------------------------------- errors

  @Test
  void errorRepliesPassThroughUntouchedAndAreNeverCached() {
    String k = key("user:");
    server.call("RPUSH", k, "a");
    Client c = open();
    long before = gets();

    String first = assertErrorReply("WRONGTYPE", () -> c.get(k));
    String second = assertErrorReply("WRONGTYPE", () -> c.get(k));
    assertEquals(first, second);
    assertEquals(before + 2, gets(), "an error reply must not be cached");
    assertEquals("PONG", c.call("PING"), "the connection still works");
  }

  // ---------------------------------------------------------------- transactions and pipelines

  @Test
  void inMultiReadsGoToRedisAndWritesInvalidate() {
    Client c = open();
    Client other = open();
    String k = cached(c, other, "before");
    long before = gets();

    assertEquals(List.of("before", "OK"), c.transaction(List.of(cmd("GET", k), cmd("SET", k, "in-multi"))));
    assertEquals(before + 1, gets(), "a GET inside MULTI goes to Redis");
    readsBack(c, other, k, "in-multi", "SET in MULTI/EXEC");
  }

  @Test
  void inPipelinesReadsGoToRedisAndWritesInvalidate() {
    Client c = open();
    Client other = open();
    String k = cached(c, other, "before");
    long before = gets();

    // Each GET has a write ahead of it in flight: where the pipeline writes every command at once
    // (Lettuce reactive, Spring's default flush policy) a GET with nothing ahead may be a correct hit.
    List<Object> replies = c.pipeline(List.of(cmd("SET", key("user:"), "x"), cmd("GET", k), cmd("SET", k, "piped"), cmd("GET", k)));
    assertEquals(List.of("OK", "before", "OK", "piped"), replies);
    assertEquals(before + 2, gets(), "pipelined GETs behind writes go to Redis");
    readsBack(c, other, k, "piped", "pipelined SET");
  }

  // ---------------------------------------------------------------- flushes, scripts, unknown commands

  @Test
  void flushdbAndFlushallDropTheEntries() {
    Client c = open();
    Client other = open();

    String k = cached(c, other, "x");
    assertEquals("OK", c.call("FLUSHDB"));
    readsBack(c, other, k, null, "FLUSHDB");

    k = cached(c, other, "y");
    assertEquals("OK", c.call("FLUSHALL"));
    readsBack(c, other, k, null, "FLUSHALL");
  }

  @Test
  void scriptsInvalidateWhatTheyMayHaveWritten() {
    Client c = open();
    Client other = open();

    String k = cached(c, other, "before");
    c.eval("return redis.call('SET', KEYS[1], ARGV[1])", List.of(k), List.of("by-script"));
    readsBack(c, other, k, "by-script", "EVAL writing a declared key");

    String undeclared = cached(c, other, "before");
    c.eval("return redis.call('SET', '" + undeclared + "', 'undeclared')", List.of(), List.of());
    readsBack(c, other, undeclared, "undeclared", "EVAL writing a key it did not declare");
  }

  @Test
  void anUnknownCommandDropsTheDatabasesEntries() {
    Client c = open();
    Client other = open();
    String k = cached(c, other, "v");
    long before = gets();

    assertErrorReply("unknown command", () -> c.call("NOSUCHCOMMAND", k));
    assertEquals("v", c.get(k));
    assertEquals(before + 1, gets(), "the agent cannot know what an unknown command wrote");
  }

  // ---------------------------------------------------------------- scope changes in flight (issue 7)

  /** The case issue 7 opens with: {@code p.select(1); p.set("user:2", "new"); p.sync();}. */
  @Test
  void aPipelinedSelectThenWriteIsSeenByTheWriterAndByReadersOfTheNewDatabase() {
    String k = key("user:");
    server.call("SET", k, "db0");
    inDb(1, "SET", k, "old");
    Client writer = open();
    Client db1Reader = open(Scope.DEFAULT.db(1));
    Client db0Reader = open();
    assertEquals("old", db1Reader.get(k));
    assertEquals("db0", writer.get(k));

    List<Object> replies = writer.pipeline(scoped(writer, List.of(cmd("SELECT", "1"), cmd("SET", k, "new")), cmd("SELECT", "0")));
    assertEquals(List.of("OK", "OK"), replies.subList(0, 2));

    assertEquals("new", db1Reader.get(k), "the SET ran in db 1: db 1's entry must be gone");
    assertEquals("db0", db0Reader.get(k), "db 0 was not written");
    if (writer.ownsOneConnection()) {
      assertEquals("new", writer.get(k), "the writer is in db 1 now and must read its own write");
    }
  }

  @Test
  void aPipelinedSelectThenReadDoesNotFillTheOldDatabase() {
    String k = key("user:");
    server.call("SET", k, "db0");
    inDb(1, "SET", k, "db1");
    Client c = open();

    List<Object> replies = c.pipeline(scoped(c, List.of(cmd("SELECT", "1"), cmd("GET", k)), cmd("SELECT", "0")));
    assertEquals(List.of("OK", "db1"), replies.subList(0, 2));

    assertEquals("db0", open().get(k), "db 0's entry was filled with db 1's value");
    if (c.ownsOneConnection()) {
      assertEquals("db1", c.get(k));
    }
    assertEquals("db0", open().get(k));
  }

  @Test
  void anUnawaitedSelectIsNeverOvertakenByACachedRead() {
    String k = key("user:");
    server.call("SET", k, "db0");
    inDb(1, "SET", k, "db1");
    Client c = open();
    assertEquals("db0", c.get(k)); // cached in db 0

    Pending select = c.send("SELECT", "1");
    assertEquals("db1", c.get(k), "a GET sent behind SELECT 1 was answered from db 0's entry");
    assertEquals("OK", select.await());
    assertEquals("db0", open().get(k), "db 0's entry was filled with db 1's value");
    assertEquals("db1", c.get(k));
  }

  @Test
  void anUnawaitedSelectThenWriteIsSeenByReadersOfTheNewDatabase() {
    String k = key("user:");
    server.call("SET", k, "db0");
    inDb(1, "SET", k, "old");
    Client c = open();
    Client db1Reader = open(Scope.DEFAULT.db(1));
    assertEquals("old", db1Reader.get(k));
    assertEquals("db0", c.get(k));

    Pending select = c.send("SELECT", "1");
    Pending write = c.send("SET", k, "new");
    assertEquals("OK", write.await());
    assertEquals("OK", select.await());

    assertEquals("new", db1Reader.get(k), "the SET ran in db 1: db 1's entry must be gone");
    assertEquals("db0", open().get(k), "db 0 was not written");
    assertEquals("new", c.get(k));
  }

  @Test
  void aPipelinedAuthDoesNotFillTheOldUsersEntries() {
    String k = userKeyAndUsers();
    Client asBob = open(Scope.DEFAULT.as("bob", "pw"));

    List<Object> replies = asBob.pipeline(scoped(asBob, List.of(cmd("AUTH", "alice", "pw"), cmd("GET", k)), cmd("AUTH", "bob", "pw")));
    assertEquals(List.of("OK", "s3"), replies.subList(0, 2));

    Client bob = open(Scope.DEFAULT.as("bob", "pw"));
    assertErrorReply("NOPERM", () -> bob.get(k)); // bob's scope must not hold what alice read
  }

  @Test
  void aPipelinedAuthIsNeverServedTheOldUsersEntries() {
    String k = userKeyAndUsers();
    Client c = open(Scope.DEFAULT.as("alice", "pw"));
    assertEquals("s3", c.get(k)); // cached for alice

    List<Object> replies = c.pipeline(scoped(c, List.of(cmd("AUTH", "bob", "pw"), cmd("GET", k)), cmd("AUTH", "alice", "pw")));
    assertEquals("OK", replies.get(0));
    assertErrorReply("NOPERM", replies.get(1));

    if (c.ownsOneConnection()) {
      assertErrorReply("NOPERM", () -> c.get(k)); // the connection is bob's now
    }
  }

  @Test
  void aPipelinedAuthThenWriteIsSeenByTheNewUsersReaders() {
    String k = userKeyAndUsers();
    Client alice = open(Scope.DEFAULT.as("alice", "pw"));
    assertEquals("s3", alice.get(k));
    Client c = open(Scope.DEFAULT.as("bob", "pw")); // bob may not write user:*; alice may

    List<Object> replies = c.pipeline(scoped(c, List.of(cmd("AUTH", "alice", "pw"), cmd("SET", k, "new")), cmd("AUTH", "bob", "pw")));
    assertEquals(List.of("OK", "OK"), replies.subList(0, 2));

    assertEquals("new", alice.get(k), "alice's entry survived a write made as alice");
  }

  @Test
  void aPipelinedHelloAuthDoesNotFillTheOldUsersEntries() {
    String k = userKeyAndUsers();
    Client asBob = open(Scope.DEFAULT.as("bob", "pw"));
    String protocol = Long.toString(protocolOf(asBob)); // HELLO must keep the protocol the client speaks

    List<Object> replies = asBob.pipeline(scoped(asBob,
        List.of(cmd("HELLO", protocol, "AUTH", "alice", "pw"), cmd("GET", k)), cmd("AUTH", "bob", "pw")));
    assertEquals("s3", replies.get(1));

    Client bob = open(Scope.DEFAULT.as("bob", "pw"));
    assertErrorReply("NOPERM", () -> bob.get(k)); // bob's scope must not hold what alice read
    if (asBob.ownsOneConnection()) {
      assertEquals("s3", asBob.get(k), "the connection is alice's now");
    }
  }

  @Test
  void aPipelinedResetThenReadDoesNotFillTheOldDatabase() {
    String k = key("user:");
    server.call("SET", k, "db0");
    inDb(1, "SET", k, "db1");
    Client c = open(Scope.DEFAULT.db(1));
    org.junit.jupiter.api.Assumptions.assumeTrue(protocolOf(c) == 2,
        "RESET switches a connection to RESP2: done under a client that negotiated RESP3 it breaks the client, agent or not");
    assertEquals("db1", c.get(k)); // cached in db 1

    List<Object> replies = c.pipeline(scoped(c, List.of(cmd("RESET"), cmd("GET", k)), cmd("SELECT", "1")));
    assertEquals(List.of("RESET", "db0"), replies.subList(0, 2));

    assertEquals("db1", open(Scope.DEFAULT.db(1)).get(k), "db 1's entry was filled with db 0's value");
    if (c.ownsOneConnection()) {
      assertEquals("db0", c.get(k), "after RESET the connection is in db 0");
    }
  }

  @Test
  void anUnawaitedAuthIsNeverOvertakenByACachedRead() {
    String k = userKeyAndUsers();
    Client c = open(Scope.DEFAULT.as("alice", "pw"));
    assertEquals("s3", c.get(k)); // cached for alice

    Pending asBob = c.send("AUTH", "bob", "pw");
    assertErrorReply("NOPERM", () -> c.get(k)); // sent behind AUTH bob: must not be answered from alice's entry
    assertEquals("OK", asBob.await());

    Pending asAlice = c.send("AUTH", "alice", "pw");
    assertEquals("s3", c.get(k));
    assertEquals("OK", asAlice.await());
    Client bob = open(Scope.DEFAULT.as("bob", "pw"));
    assertErrorReply("NOPERM", () -> bob.get(k)); // what alice read must not have filled bob's scope
  }

  @Test
  void aSelectWhoseReplyTimesOutNeverLetsTheConnectionServeTheOldDatabase() {
    String k = key("user:");
    server.call("SET", k, "db0");
    inDb(1, "SET", k, "db1");

    Client c = timedOutWhileChangingScope(
        () -> primed(Scope.DEFAULT.timeout(Duration.ofMillis(150)), k, "db0"), // cached in db 0
        fresh -> {
          if (fresh.ownsOneConnection()) {
            fresh.select(1);
          } else {
            fresh.pipeline(List.of(cmd("SELECT", "1"), cmd("GET", k), cmd("SELECT", "0")));
          }
        });
    // Redis has run the SELECT since: the connection is in db 1.

    for (int i = 0; i < 3; i++) {
      if (c.ownsOneConnection()) {
        assertNotEquals("db0", valueOrError(() -> c.get(k)), "the connection is in db 1 (or broken), yet was served db 0's entry");
      } else {
        assertEquals("db0", slowly(() -> c.get(k)), "a pool's broken connection is dropped; the others are in db 0");
      }
    }
    assertEquals("db1", open(Scope.DEFAULT.db(1)).get(k));
    assertEquals("db0", open().get(k));
  }

  @Test
  void anAuthWhoseReplyTimesOutNeverLetsTheConnectionServeTheOldUsersEntries() {
    String k = userKeyAndUsers();

    Client c = timedOutWhileChangingScope(
        () -> primed(Scope.DEFAULT.as("alice", "pw").timeout(Duration.ofMillis(150)), k, "s3"), // cached for alice
        fresh -> {
          if (fresh.ownsOneConnection()) {
            fresh.auth("bob", "pw");
          } else {
            fresh.pipeline(List.of(cmd("AUTH", "bob", "pw"), cmd("GET", k), cmd("AUTH", "alice", "pw")));
          }
        });
    // Redis has run the AUTH since: the connection is bob's.

    for (int i = 0; i < 3; i++) {
      if (c.ownsOneConnection()) {
        assertNotEquals("s3", valueOrError(() -> c.get(k)), "the connection is bob's (or broken), yet was served alice's entry");
      } else {
        assertEquals("s3", slowly(() -> c.get(k)), "a pool's broken connection is dropped; the others are alice's");
      }
    }
    Client bob = open(Scope.DEFAULT.as("bob", "pw"));
    assertErrorReply("NOPERM", () -> bob.get(k));
  }

  // ---------------------------------------------------------------- concurrency

  @Test
  void readersRacingAWriterNeverKeepAValueOlderThanACompletedWrite() throws InterruptedException {
    String k = key("user:");
    server.call("SET", k, "0");
    Client writer = open();
    Client shared = open();
    List<Supplier<String>> readers = new ArrayList<>();
    for (int r = 0; r < 3; r++) {
      Client reader = shared.threadSafe() ? shared : open();
      readers.add(() -> reader.get(k));
    }
    boolean unawaited = canSendWithoutWaiting(shared);

    RacingReaders.Result race = RacingReaders.run(readers, i -> {
      String value = Integer.toString(i);
      if (unawaited && i % 2 == 1) {
        shared.send("SET", k, value); // through the readers' own connection, not awaited
        return shared.get(k);
      }
      writer.set(k, value);
      return writer.get(k);
    }, 500);

    assertEquals(List.of(), race.problems());
    assertTrue(race.readerGets() > 500, "the readers really raced the writer: " + race.readerGets() + " reads");
  }

  // ---------------------------------------------------------------- helpers

  /** A client of the entry point under test, closed after the case. */
  protected final Client open(Scope scope) {
    Client c = open(REDIS.endpoint(), scope);
    opened.add(c);
    return c;
  }

  protected final Client open() {
    return open(Scope.DEFAULT);
  }

  protected final RedisEndpoint redis() {
    return REDIS.endpoint();
  }

  /** The raw, uninstrumented view of the server. */
  protected final RespClient server() {
    return server;
  }

  /** A key no other case uses, under {@code prefix}. */
  protected final String key(String prefix) {
    return prefix + getClass().getSimpleName() + ":" + testName + ":" + (++keys);
  }

  protected final long gets() {
    return server.commandCalls("get");
  }

  static String[] cmd(String... argv) {
    return argv;
  }

  /** A fresh key holding {@code value}, read (so cached) through both clients. */
  private String cached(Client c, Client other, String value) {
    String k = key("user:");
    server.call("SET", k, value);
    assertEquals(value, c.get(k));
    assertEquals(value, other.get(k));
    return k;
  }

  /** The writer and another client of the entry point both read {@code expected} at once. */
  private static void readsBack(Client writer, Client other, String k, String expected, String write) {
    assertEquals(expected, writer.get(k), "the writer read a stale value after " + write);
    assertEquals(expected, other.get(k), "another client read a stale value after " + write);
  }

  private void inDb(int db, String... argv) {
    server.select(db);
    try {
      server.call(argv);
    } finally {
      server.select(0);
    }
  }

  /** user:… = s3, readable by default and alice; bob may only touch other:*. */
  private String userKeyAndUsers() {
    server.call("ACL", "SETUSER", "alice", "on", ">pw", "~*", "+@all");
    server.call("ACL", "SETUSER", "bob", "on", ">pw", "~other:*", "+@all");
    String k = key("user:");
    server.call("SET", k, "s3");
    return k;
  }

  /**
   * {@code commands}, followed by {@code restore} where the handle is a pool or template: a careful
   * application undoes a pipeline's scope change before the connection goes back to be shared.
   */
  private static List<String[]> scoped(Client c, List<String[]> commands, String[] restore) {
    List<String[]> all = new ArrayList<>(commands);
    if (!c.ownsOneConnection()) {
      all.add(restore);
    }
    return all;
  }

  /**
   * The RESP version the client's connection speaks, as the server reports it: {@code resp=} in
   * CLIENT INFO from Redis 7, else the {@code proto} field of a bare HELLO (Redis 6.2).
   */
  private static long protocolOf(Client c) {
    String info = String.valueOf(c.call("CLIENT", "INFO"));
    java.util.regex.Matcher resp = java.util.regex.Pattern.compile(" resp=(\\d)").matcher(info);
    if (resp.find()) {
      return Long.parseLong(resp.group(1));
    }
    String hello = String.valueOf(c.call("HELLO"));
    java.util.regex.Matcher proto = java.util.regex.Pattern.compile("proto\\W{1,4}(\\d)").matcher(hello);
    assertTrue(proto.find(), "neither CLIENT INFO nor HELLO names the protocol: " + info + " / " + hello);
    return Long.parseLong(proto.group(1));
  }

  private static boolean canSendWithoutWaiting(Client c) {
    try {
      c.send("PING").await();
      return true;
    } catch (org.opentest4j.TestAbortedException noSuchForm) {
      return false;
    }
  }

  private void awaitGone(String k) {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (server.call("EXISTS", k).equals(1L)) {
      assertTrue(System.nanoTime() < deadline, k + " never expired");
      Thread.onSpinWait();
    }
  }

  /**
   * A client from {@code primed} whose scope change ({@code change}) timed out while every
   * client's commands waited in a CLIENT PAUSE, returned once the pause is over. A loaded machine
   * may send the change only after the pause: that client is dropped and a fresh one tries again in
   * a longer pause.
   */
  private Client timedOutWhileChangingScope(Supplier<Client> primed, java.util.function.Consumer<Client> change) {
    for (int pauseMillis = 600; pauseMillis <= 4_800; pauseMillis *= 2) {
      Client c = primed.get();
      server.call("CLIENT", "PAUSE", Integer.toString(pauseMillis), "ALL");
      try {
        change.accept(c);
      } catch (org.opentest4j.TestAbortedException e) {
        throw e;
      } catch (RuntimeException timedOut) {
        // The client's own timeout, as the application sees it without the agent.
        awaitServerResumed();
        return c;
      }
      awaitServerResumed();
    }
    return fail("the scope change never timed out, even in a 4.8 s pause");
  }

  /**
   * A client in {@code scope} that has read {@code value} at {@code k}. Its short timeout is meant
   * for the pause that follows; a loaded machine may exceed it already here, and then a fresh
   * client tries again.
   */
  private Client primed(Scope scope, String k, String value) {
    RuntimeException slow = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      try {
        Client c = open(scope); // even connecting may exceed the short timeout on a loaded machine
        assertEquals(value, c.get(k));
        return c;
      } catch (org.opentest4j.TestAbortedException e) {
        throw e;
      } catch (RuntimeException timedOut) {
        slow = timedOut;
      }
    }
    throw slow;
  }

  /** Returns once a CLIENT PAUSE is over: this connection's own next command waits for it. */
  private void awaitServerResumed() {
    assertEquals("PONG", server.call("PING"));
  }

  /**
   * {@code read}, tried again when it times out: after a timeout case the pool opens new
   * connections with the case's 150ms timeout, which a loaded machine may exceed.
   */
  private static String slowly(Supplier<String> read) {
    for (int attempt = 1; ; attempt++) {
      try {
        return read.get();
      } catch (RuntimeException e) {
        if (attempt == 5 || !messages(e).toLowerCase(java.util.Locale.ROOT).contains("timed out")) {
          throw e;
        }
      }
    }
  }

  private static Object valueOrError(Supplier<Object> read) {
    try {
      return read.get();
    } catch (org.opentest4j.TestAbortedException e) {
      throw e;
    } catch (RuntimeException e) {
      return e;
    }
  }

  /** The error reply the call threw, whose message (or a cause's) contains {@code code}. */
  static String assertErrorReply(String code, Runnable call) {
    try {
      call.run();
    } catch (org.opentest4j.TestAbortedException e) {
      throw e;
    } catch (RuntimeException e) {
      return assertErrorReply(code, (Object) e);
    }
    fail("expected an error reply containing " + code);
    return null;
  }

  /** A pipeline's or transaction's element that must be an error reply containing {@code code}. */
  static String assertErrorReply(String code, Object reply) {
    assertTrue(reply instanceof Throwable, "expected an error reply containing " + code + ", got " + reply);
    String messages = messages((Throwable) reply);
    assertTrue(messages.contains(code), "expected an error reply containing " + code + ", got " + messages);
    return messages;
  }

  /** The messages of an exception and its causes: clients wrap the server's error differently. */
  private static String messages(Throwable error) {
    StringBuilder messages = new StringBuilder();
    for (Throwable t = error; t != null; t = t.getCause()) {
      messages.append(t.getMessage()).append(" / ");
    }
    return messages.toString();
  }
}
