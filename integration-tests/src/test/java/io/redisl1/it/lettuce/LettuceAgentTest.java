package io.redisl1.it.lettuce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisl1.it.AgentRun;
import io.redisl1.it.AgentRun.Outcome;
import io.redisl1.testsupport.RedisEndpoint;
import io.redisl1.testsupport.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Lettuce behaviour the agent promises, proven in forked JVMs under the real -javaagent against
 * a real Redis, on Lettuce 6.x and 7.x, for sync, async, reactive and Spring Data Redis. GET counts
 * come from the server itself (INFO commandstats).
 */
@ExtendWith(RedisServerExtension.class)
class LettuceAgentTest {
  static final String CONFIG =
      """
      max-memory: 16MB
      rules:
        - prefix: "user:"
          ttl: 60s
        - prefix: "session:"
          cache: false
      """;
  static final String LATEST_6 = "6.8.2.RELEASE";
  /** Spring Boot 3.2's Lettuce: run on the core behaviours only. */
  static final String SPRING_BOOT_3_2 = "6.3.2.RELEASE";
  static final String LATEST_7 = "7.7.0.RELEASE";

  private final RedisEndpoint redis;

  LettuceAgentTest(RedisEndpoint redis) {
    this.redis = redis;
  }

  private Outcome run(String lettuce, String scenario) {
    Outcome outcome = AgentRun.withConfig(CONFIG).lettuce(lettuce).run(LettuceScenarios.class, scenario, redis);
    assertEquals(0, outcome.result.exitCode(), outcome::toString);
    assertTrue(
        outcome.agentLines().stream().noneMatch(l -> l.contains("ERROR") || l.contains("WARN")),
        outcome::toString);
    return outcome;
  }

  @ParameterizedTest
  @ValueSource(strings = {SPRING_BOOT_3_2, LATEST_6, LATEST_7})
  void syncAsyncAndReactiveHitsSendNothing(String lettuce) {
    Outcome o = run(lettuce, "hits");

    assertEquals("alice", o.get("sync.first"));
    assertEquals(1, o.number("gets@miss"), o::toString);
    assertEquals("alice", o.get("sync.rest"));
    assertEquals(1, o.number("gets@sync"), "sync hits reached Redis; " + o);
    assertEquals("alice", o.get("async.rest"));
    assertEquals("true", o.get("async.doneAtOnce"), "an async hit completes before dispatch returns; " + o);
    assertEquals(1, o.number("gets@async"), "async hits reached Redis; " + o);
    assertEquals("alice", o.get("reactive.rest"));
    assertEquals("true", o.get("reactive.sameThread"), "a reactive hit is emitted on the subscriber's thread; " + o);
    assertEquals(1, o.number("gets@reactive"), "reactive hits reached Redis; " + o);
    assertEquals("alice", o.get("bytes.second"), "a mutated byte[] hit leaked into the cache; " + o);
    assertEquals("alice", o.get("bytes.third"));
    assertEquals(1, o.number("gets@bytes"), "a ByteArrayCodec connection shares the L1; " + o);
  }

  @Test
  void theBufferHandingCodecWorksWithoutTheAgent() {
    Outcome o = AgentRun.withoutAgent().run(LettuceScenarios.class, "codec", redis);

    assertEquals(0, o.result.exitCode(), o::toString);
    assertEquals("sync-value", o.get("server.sync"), o::toString);
    assertEquals("batch-value", o.get("server.batch"), o::toString);
    assertEquals(5, o.number("encodeValue.calls"), o::toString);
  }

  @Test
  void withoutTheAgentEveryGetReachesRedis() {
    Outcome o = AgentRun.withoutAgent().run(LettuceScenarios.class, "hits", redis);

    assertEquals(0, o.result.exitCode(), o::toString);
    assertEquals("alice", o.get("sync.rest"));
    assertEquals(303, o.number("gets@reactive"), o::toString);
    assertEquals(306, o.number("gets@bytes"), o::toString);
  }

  @ParameterizedTest
  @ValueSource(strings = {SPRING_BOOT_3_2, LATEST_6, LATEST_7})
  void writesAreReadBackAtOnceInEveryStyle(String lettuce) {
    Outcome o = run(lettuce, "writes");

    assertEquals("none", o.get("stale"), o::toString);
  }

  @ParameterizedTest
  @ValueSource(strings = {LATEST_6, LATEST_7})
  void bypassedAndUnmatchedPrefixesAlwaysGoToRedis(String lettuce) {
    Outcome o = run(lettuce, "bypass");

    assertEquals("s", o.get("session"));
    assertEquals("o", o.get("other"));
    assertEquals(20, o.number("gets@after"), o::toString);
  }

  @ParameterizedTest
  @ValueSource(strings = {SPRING_BOOT_3_2, LATEST_6, LATEST_7})
  void theUriDatabaseAndSelectScopeTheL1(String lettuce) {
    Outcome o = run(lettuce, "databases");

    assertEquals("db0", o.get("db0.fill"));
    assertEquals("db2", o.get("db2"), "a RedisURI database connection was served db 0's entry; " + o);
    assertEquals(2, o.number("gets@uri"), "one miss per database, then hits; " + o);
    assertEquals("db2", o.get("db0.select2"));
    assertEquals(2, o.number("gets@select"), "after SELECT 2 the entry of db 2 is shared; " + o);
    assertEquals("refused", o.get("badSelect"));
    assertEquals("db2", o.get("afterBadSelect"), "a refused SELECT must not change the scope; " + o);
    assertEquals("db2-new", o.get("db0.afterDb2Write"));
  }

  @ParameterizedTest
  @ValueSource(strings = {SPRING_BOOT_3_2, LATEST_6, LATEST_7})
  void usersAuthenticatedInTheHandshakeStayApart(String lettuce) {
    Outcome o = run(lettuce, "users");

    assertEquals("s3", o.get("default"));
    assertEquals(1, o.number("gets@default"), o::toString);
    assertEquals("s3", o.get("alice"));
    assertEquals(2, o.number("gets@alice"), "alice must not be served default's entry; " + o);
    // Redis counts no call for a command its ACL refused: the NOPERM itself proves bob's GET went to Redis.
    assertTrue(o.get("bob").contains("NOPERM"), "bob may not read user:*; " + o);
  }

  @ParameterizedTest
  @ValueSource(strings = {SPRING_BOOT_3_2, LATEST_6, LATEST_7})
  void errorRepliesReachTheAppAndAreNotCached(String lettuce) {
    Outcome o = run(lettuce, "errors");

    assertTrue(o.get("get0").startsWith("RedisCommandExecutionException: WRONGTYPE"), o::toString);
    assertEquals(o.get("get0"), o.get("get1"));
    assertEquals("RedisCommandExecutionException", o.get("async"));
    assertEquals(3, o.number("gets@after"), o::toString);
    assertEquals("PONG", o.get("connectionStillWorks"));
  }

  @ParameterizedTest
  @ValueSource(strings = {SPRING_BOOT_3_2, LATEST_6, LATEST_7})
  void inMultiAndBatchesReadsGoToRedisAndWritesInvalidate(String lettuce) {
    Outcome o = run(lettuce, "transactions");

    assertEquals(1, o.number("gets@filled"), o::toString);
    assertEquals("before", o.get("tx.read"));
    assertEquals(2, o.number("gets@tx"), "a GET inside MULTI goes to Redis; " + o);
    assertEquals("in-multi", o.get("afterTx"));
    assertEquals("in-multi", o.get("afterTx.again"));
    assertEquals(3, o.number("gets@afterTx"), o::toString);
    assertEquals("in-multi,OK,batched", o.get("batch.reads"));
    assertEquals(5, o.number("gets@batch"), "GETs in an unflushed batch go to Redis; " + o);
    assertEquals("batched", o.get("afterBatch"));
    assertEquals("batched", o.get("afterBatch.again"));
    assertEquals(6, o.number("gets@afterBatch"), o::toString);
    assertEquals("by-script", o.get("afterEval"), "a script's write must invalidate; " + o);
  }

  @ParameterizedTest
  @ValueSource(strings = {LATEST_6, LATEST_7})
  void springDataTemplatesAreCachedAndTransparent(String lettuce) {
    Outcome o = run(lettuce, "spring");

    assertEquals("v1", o.get("first"));
    assertEquals("v1", o.get("rest"));
    assertEquals(1, o.number("gets@hits"), "template GETs reached Redis; " + o);
    assertEquals("v2", o.get("afterWrite"));
    assertEquals(2, o.number("gets@end"), o::toString);
    assertEquals("v2", o.get("server.db3"));
    assertEquals("0", o.get("db0"));
    assertEquals("true", o.get("objects.equal"), o::toString);
    assertEquals("true", o.get("objects.distinct"), "each hit deserializes its own object; " + o);
    assertEquals(1, o.number("objects.gets"), "a RedisTemplate GET is cached too; " + o);
  }

  @ParameterizedTest
  @ValueSource(strings = {LATEST_6, LATEST_7})
  void aTimedOutGetReachesTheAppAndFillsNothing(String lettuce) {
    Outcome o = run(lettuce, "timeout");

    assertEquals("timeout", o.get("paused"));
    assertEquals("v", o.get("after"));
    assertEquals("v", o.get("again"));
    assertTrue(o.number("gets@again") <= 1, "after a good reply the key is cached; " + o);
  }

  @ParameterizedTest
  @ValueSource(strings = {LATEST_6, LATEST_7})
  void aCodecThatHandsOutTheCallersBufferStillWritesTheWholeValue(String lettuce) {
    Outcome o = run(lettuce, "codec");

    assertEquals("sync-value", o.get("server.sync"), "the agent drained the value buffer; " + o);
    assertEquals("async-value", o.get("server.async"), o::toString);
    assertEquals("reactive-value", o.get("server.reactive"), o::toString);
    assertEquals("multi-value", o.get("server.multi"), o::toString);
    assertEquals("sync-value", o.get("read"), o::toString);
    assertEquals("batch-value", o.get("server.batch"), o::toString);
    assertEquals(5, o.number("encodeValue.calls"), "each value is encoded once, by Lettuce; " + o);
  }

  @ParameterizedTest
  @ValueSource(strings = {LATEST_6, LATEST_7})
  void commandsReplayedAfterAReconnectAreNeitherStaleNorMisPaired(String lettuce) {
    Outcome o = run(lettuce, "reconnect");

    assertEquals("true", o.get("reconnected"), o::toString);
    assertEquals("old", o.get("other.during"), o::toString);
    assertEquals("go", o.get("blpop"));
    assertEquals("OK", o.get("set"));
    assertEquals("two", o.get("get2"), o::toString);
    assertEquals("new", o.get("get1"), o::toString);
    assertEquals("new", o.get("get1b"), "a GET behind a replayed SET was answered from the L1; " + o);
    assertEquals("new", o.get("after"), o::toString);
    assertEquals("new", o.get("other.after"), "the replayed SET's reply must invalidate; " + o);
    assertEquals("two", o.get("hot"));
    assertTrue(o.number("gets@hot") <= 1, "the connection answers from the L1 again; " + o);
    assertEquals("new", o.get("server.r1"));
  }

  @ParameterizedTest
  @ValueSource(strings = {LATEST_6, LATEST_7})
  void execsReplyInvalidatesTheTransactionsWritesBeforeTheAppSeesIt(String lettuce) {
    Outcome o = run(lettuce, "exec");

    assertEquals(100, o.number("callback.primed"), "the old value was not cached while EXEC was pending; " + o);
    assertEquals("none", o.get("stale"), "a read after EXEC's result was served the old value; " + o);
  }

  @ParameterizedTest
  @ValueSource(strings = {LATEST_6, LATEST_7})
  void concurrentReadersNeverCacheAValueOlderThanACompletedWrite(String lettuce) {
    Outcome o = run(lettuce, "race");

    assertEquals("none", o.get("problems"), o::toString);
    assertTrue(o.number("readerGets") > 1_000, "the readers really raced the writer; " + o);
  }

  @ParameterizedTest
  @ValueSource(strings = {LATEST_6, LATEST_7})
  void aClosedConnectionFailsAsWithoutTheAgent(String lettuce) {
    Outcome without = AgentRun.withoutAgent().lettuce(lettuce).run(LettuceScenarios.class, "closed", redis);
    Outcome with = run(lettuce, "closed");

    assertEquals("v", with.get("open"));
    assertEquals(without.get("afterClose"), with.get("afterClose"), with::toString);
    assertTrue(!"v".equals(with.get("afterClose")), "a closed connection answered from the L1; " + with);
  }

  @Test
  void lettuce5IsLeftAloneWithOneWarning() {
    Outcome o = AgentRun.withConfig(CONFIG).lettuce("5.3.7.RELEASE").run(LettuceScenarios.class, "plain", redis);

    assertEquals(0, o.result.exitCode(), o::toString);
    assertEquals("v", o.get("value"));
    assertEquals(5, o.number("gets@after"), "an unsupported Lettuce must run uncached; " + o);
    assertEquals(
        1, o.agentLines().stream().filter(l -> l.contains("WARN") && l.contains("Lettuce")).count(), o::toString);
  }
}
