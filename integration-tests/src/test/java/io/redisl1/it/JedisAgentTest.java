package io.redisl1.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisl1.it.AgentRun.Outcome;
import io.redisl1.testsupport.RedisEndpoint;
import io.redisl1.testsupport.RedisServerExtension;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Jedis behaviour the agent promises, proven in forked JVMs under the real -javaagent against
 * a real Redis, on every supported Jedis line. GET counts come from the server itself.
 */
@ExtendWith(RedisServerExtension.class)
class JedisAgentTest {
  static final String CONFIG =
      """
      max-memory: 16MB
      max-value-size: 256KB
      default-ttl: 30s
      rules:
        - prefix: "user:"
          ttl: 60s
        - prefix: "neg:"
          cache-nil: true
        - prefix: "short:"
          ttl: 500ms
        - prefix: "session:"
          cache: false
      """;

  private final RedisEndpoint redis;

  JedisAgentTest(RedisEndpoint redis) {
    this.redis = redis;
  }

  private Outcome run(String jedisVersion, String scenario) {
    Outcome outcome = AgentRun.withConfig(CONFIG).jedis(jedisVersion).run(JedisScenarios.class, scenario, redis);
    assertEquals(0, outcome.result.exitCode(), outcome::toString);
    return outcome;
  }

  @ParameterizedTest
  @ValueSource(strings = {"4.4.8", "5.2.0", "6.2.0", "7.5.3", "8.0.2"})
  void hitsSendNothingAndAMissSendsOneGet(String jedis) {
    Outcome o = run(jedis, "hits");

    assertEquals("alice", o.get("pooled.first"));
    assertEquals(1, o.number("gets@pooledMiss"), o::toString);
    assertEquals("alice", o.get("pooled.rest"));
    assertEquals(1, o.number("gets@pooledHits"), "JedisPooled hits reached Redis; " + o);
    assertTrue(!o.values.containsKey("pool.wrong"), o::toString);
    assertEquals(1, o.number("gets@poolHits"), "JedisPool connections share the L1; " + o);
    assertEquals("alice", o.get("jedis.rest"));
    assertEquals(1, o.number("gets@jedisHits"), "a plain Jedis shares the L1; " + o);
  }

  @ParameterizedTest
  @ValueSource(strings = {"4.4.8", "5.2.0", "6.2.0", "7.5.3", "8.0.2"})
  void writesThroughTheClientAreReadBackAtOnce(String jedis) {
    Outcome o = run(jedis, "writes");

    assertEquals("none", o.get("stale"), o::toString);
  }

  @ParameterizedTest
  @ValueSource(strings = {"5.2.0", "8.0.2"})
  void theBinaryApiIsCachedAndHitsAreCopies(String jedis) {
    Outcome o = run(jedis, "binary");

    assertEquals("bytes", o.get("first"));
    assertEquals("bytes", o.get("third"), "a mutated hit leaked into the cache; " + o);
    assertEquals("bytes", o.get("string"));
    assertEquals(1, o.number("gets@after"), o::toString);
  }

  @ParameterizedTest
  @ValueSource(strings = {"4.4.8", "5.2.0", "6.2.0", "7.5.3", "8.0.2"})
  void bypassedAndUnmatchedPrefixesAlwaysGoToRedis(String jedis) {
    Outcome o = run(jedis, "bypass");

    assertEquals("s", o.get("session"));
    assertEquals("o", o.get("other"));
    assertEquals(20, o.number("gets@after"), o::toString);
  }

  @ParameterizedTest
  @ValueSource(strings = {"7.5.3", "8.0.2"})
  void nilIsCachedOnlyWhereARuleAsks(String jedis) {
    Outcome o = run(jedis, "nil");

    assertEquals("null", o.get("plain"));
    assertEquals(5, o.number("gets@plain"), o::toString);
    assertEquals("null", o.get("negative"));
    assertEquals(6, o.number("gets@negative"), "cache-nil should have answered 4 of 5; " + o);
    assertEquals("now-present", o.get("negativeAfterWrite"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"4.4.8", "5.2.0", "6.2.0", "7.5.3", "8.0.2"})
  void databasesStayApart(String jedis) {
    Outcome o = run(jedis, "databases");

    assertEquals("db0", o.get("db0.fill"));
    assertEquals("db1", o.get("db1"));
    assertEquals("db1", o.get("db1.again"));
    assertEquals("db0", o.get("db0.hit"));
    assertEquals(2, o.number("gets@select"), "one miss per database, then hits; " + o);
    assertEquals("db2", o.get("db2"));
    assertEquals("db2", o.get("db2.again"));
    assertEquals(3, o.number("gets@configured"), o::toString);
    assertEquals("JedisDataException", o.get("badSelect"));
    assertEquals("db0", o.get("afterBadSelect"), "a refused SELECT must not change the scope; " + o);
  }

  @ParameterizedTest
  @ValueSource(strings = {"7.5.3", "8.0.2"})
  void usersStayApart(String jedis) {
    Outcome o = run(jedis, "users");

    assertEquals("s3", o.get("default"));
    assertEquals(1, o.number("gets@default"), o::toString);
    assertEquals("s3", o.get("alice"));
    assertEquals(2, o.number("gets@alice"), "alice must not be served default's entry; " + o);
    // Redis counts no call for a command its ACL refused: the NOPERM itself proves bob's GET went to Redis.
    assertTrue(o.get("bob").contains("NOPERM"), "bob may not read user:*; " + o);
  }

  @ParameterizedTest
  @ValueSource(strings = {"4.4.8", "5.2.0", "6.2.0", "7.5.3", "8.0.2"})
  void errorRepliesReachTheAppAndAreNotCached(String jedis) {
    Outcome o = run(jedis, "errors");

    assertTrue(o.get("get0").startsWith("JedisDataException: WRONGTYPE"), o::toString);
    assertEquals(o.get("get0"), o.get("get1"));
    assertEquals(2, o.number("gets@after"), o::toString);
    assertEquals("PONG", o.get("connectionStillWorks"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"4.4.8", "5.2.0", "6.2.0", "7.5.3", "8.0.2"})
  void inMultiAndPipelinesReadsGoToRedisAndWritesInvalidate(String jedis) {
    Outcome o = run(jedis, "transactions");

    assertEquals(1, o.number("gets@filled"), o::toString);
    assertEquals("before", o.get("tx.read"));
    assertEquals(2, o.number("gets@tx"), "a GET inside MULTI goes to Redis; " + o);
    assertEquals("in-multi", o.get("afterTx"));
    assertEquals("in-multi", o.get("afterTx.again"));
    assertEquals("in-multi", o.get("pipe.read"));
    assertEquals(4, o.number("gets@pipe"), "a pipelined GET goes to Redis; " + o);
    assertEquals("piped", o.get("afterPipe"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"5.2.0", "8.0.2"})
  void flushesDropEntries(String jedis) {
    Outcome o = run(jedis, "flush");

    assertEquals("null", o.get("afterFlushDb"));
    assertEquals("null", o.get("afterFlushAll"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"5.2.0", "8.0.2"})
  void scriptsAndUnknownCommandsInvalidateConservatively(String jedis) {
    Outcome o = run(jedis, "scripts");

    assertEquals("by-script", o.get("afterEval"));
    assertEquals("JedisDataException", o.get("unknownCommand"));
    assertEquals(o.number("gets@beforeUnknown") + 1, o.number("gets@afterUnknown"),
        "a command the agent does not know drops the database's entries; " + o);
  }

  @ParameterizedTest
  @ValueSource(strings = {"5.2.0", "8.0.2"})
  void concurrentReadersNeverCacheAValueOlderThanACompletedWrite(String jedis) {
    Outcome o = run(jedis, "race");

    assertEquals("none", o.get("problems"), o::toString);
    assertTrue(o.number("readerGets") > 1_000, "the readers really raced the writer; " + o);
  }

  @ParameterizedTest
  @ValueSource(strings = {"8.0.2"})
  void valuesOverTheSizeLimitAreNeverCached(String jedis) {
    Outcome o = run(jedis, "oversized");

    assertEquals(Integer.toString(300 * 1024), o.get("big"));
    assertEquals(5, o.number("gets@big"), "256KB is the limit in this config; " + o);
    assertEquals("1024", o.get("small"));
    assertEquals(6, o.number("gets@small"), o::toString);
  }

  @ParameterizedTest
  @ValueSource(strings = {"8.0.2"})
  void aWriteFromOutsideIsSeenWithinTheRuleTtl(String jedis) {
    Outcome o = run(jedis, "external");

    assertEquals("old", o.get("first"));
    assertEquals("old", o.get("withinTtl"), "served from L1 within the documented bound; " + o);
    assertEquals("new", o.get("afterTtl"), "an entry outlived its rule's TTL; " + o);
  }
}
