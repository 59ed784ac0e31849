package io.redisl1.it.ttl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisl1.it.AgentRun;
import io.redisl1.it.AgentRun.Outcome;
import io.redisl1.testsupport.RedisEndpoint;
import io.redisl1.testsupport.RedisServerExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An entry lives at most min(rule ttl, remaining Redis TTL - ttl-margin), learnt from a PTTL the
 * agent sends with the GET (behind it on Jedis, ahead of it on Lettuce); the app's replies,
 * pipelines and MULTI are as without the agent. Forked JVMs under the built agent, one per client
 * API and, for Lettuce, per tested version, against a real Redis.
 */
@ExtendWith(RedisServerExtension.class)
class TtlClampTest {
  static final String CONFIG =
      """
      max-memory: 16MB
      # The clamp alone: with a tracking channel, the first GETs wait on the channel's start.
      invalidation: ttl
      rules:
        - prefix: "user:"
          ttl: 60s
        - prefix: "rule:"
          ttl: 400ms
      """;

  /** The same client API without the agent, per client family: what the app must see. */
  private static final Map<String, Outcome> BASELINES = new ConcurrentHashMap<>();

  /** The Lettuce versions of the contract executions (integration-tests/pom.xml). */
  private static final List<String> LETTUCE = List.of("6.3.2.RELEASE", "6.8.2.RELEASE", "7.7.0.RELEASE");

  static Stream<Arguments> clients() {
    Stream<Arguments> jedis = Stream.of("jedis", "jedis-pool", "jedis-pooled").map(c -> Arguments.of(c, "-"));
    Stream<Arguments> lettuce =
        LETTUCE.stream()
            .flatMap(v -> Stream.of("lettuce-sync", "lettuce-async", "lettuce-reactive").map(c -> Arguments.of(c, v)));
    return Stream.concat(jedis, lettuce);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("clients")
  void entriesEndBeforeRedisDropsTheirKey(String client, String version, RedisEndpoint redis) {
    boolean lettuce = client.startsWith("lettuce");
    Outcome o = on(AgentRun.withConfig(CONFIG), version).run(TtlClampScenarios.class, client, redis);
    assertEquals(0, o.result.exitCode(), o::toString);

    // PX 300: served from the L1 while it lives, never once Redis has dropped it.
    assertTrue(o.number("px.hits") > 0, "hits while the key lives; " + o);
    assertTrue(o.number("px.getsAfterExpiry") > 0, o::toString);
    assertEquals(0, o.number("px.hitsAfterExpiry"), "no hit after Redis dropped the key; " + o);
    assertEquals("-2", o.get("px.pttl"));
    assertEquals("null", o.get("px.final"));

    // No expiry: the rule's 400ms, not the 60s of "user:" and not less than the rule. The lower
    // bound allows 100ms for a scheduling stall inside the client call before its L1 lookup.
    assertTrue(o.number("rule.hits") > 0, o::toString);
    long ruleEnd = o.number("rule.l1EndMsAfterFill");
    assertTrue(ruleEnd >= 300 && ruleEnd < 3_000, "rule TTL 400ms bounds the entry, ended at " + ruleEnd + "; " + o);
    assertEquals("v", o.get("rule.fromRedis"));

    // Less than the margin left: not cached.
    assertTrue(o.get("margin.attempts").matches("[1-5]"), o::toString);
    assertEquals(2, o.number("margin.gets"), "both GETs reached Redis; " + o);
    assertEquals(2, o.number("margin.pttls"), o::toString);

    // PEXPIRE from another client after the fill, with invalidation: ttl: the lifetime the fill got
    // (the rule's 400ms) bounds the entry; 200ms allowed for a stall between a GET's start and its send.
    long expireEnd = o.number("expire.lastHitMsAfterFill");
    assertTrue(expireEnd >= 0 && expireEnd < 600, "bounded by the fill's 400ms, last hit at " + expireEnd + "; " + o);
    assertEquals("null", o.get("expire.fromRedis"));

    // PERSIST from another client after a fill clamped to PX 300: no hit later than the clamp, then
    // the GET reads the key from Redis and fills again for the rule's TTL.
    long persistEnd = o.number("persist.lastHitMsAfterSet");
    assertTrue(persistEnd >= 0 && persistEnd < 300, "clamped by the fill's PTTL, last hit at " + persistEnd + "; " + o);
    assertEquals("v", o.get("persist.fromRedis"));
    assertEquals(20, o.number("persist.hitsAfterRefill"), o::toString);

    // One PTTL per cacheable miss: user:r, user:missing and user:list, never other:missing.
    long gets = o.number("replies.gets");
    assertEquals(gets - 1, o.number("replies.pttls"), "a PTTL with every cacheable miss; " + o);
    assertEquals(4, gets, "value, nil, uncached and WRONGTYPE; the rest hit; " + o);

    // Pipelines: a Jedis pipeline sends no PTTL and fills nothing; a Lettuce batch writes each GET
    // with its PTTL ahead (user:p1, user:p2, user:none). The second batch, auto-flush off, is not
    // answered from the L1 either way.
    assertEquals(lettuce ? 3 : 0, o.number("pipe.pttls"), o::toString);
    assertEquals(4, o.number("pipe.gets"), o::toString);
    // MULTI: no PTTL, nothing filled.
    assertEquals(0, o.number("multi.pttls"), o::toString);
    assertEquals(1, o.number("multi.gets"), o::toString);

    Outcome plain = baseline(client, version, redis);
    for (String name : List.of(
        "replies.value", "replies.valueAgain", "replies.nil", "replies.uncached", "replies.wrongtype",
        "replies.afterError", "pipe.replies", "pipe.again", "multi.exec")) {
      assertEquals(plain.get(name), o.get(name), name + " as without the agent; " + o);
    }
    assertTrue(o.get("replies.wrongtype").contains("WRONGTYPE"), o::toString);
  }

  private static AgentRun on(AgentRun run, String lettuceVersion) {
    return lettuceVersion.equals("-") ? run : run.lettuce(lettuceVersion);
  }

  private static Outcome baseline(String client, String version, RedisEndpoint redis) {
    // Jedis, JedisPool and JedisPooled throw the same exceptions, as do Lettuce's three APIs of one version.
    String family = client.startsWith("jedis") ? "jedis" : "lettuce-sync";
    return BASELINES.computeIfAbsent(
        family + " " + version,
        c -> {
          Outcome o = on(AgentRun.withoutAgent(), version).run(TtlClampScenarios.class, "baseline:" + family, redis);
          assertEquals(0, o.result.exitCode(), o::toString);
          return o;
        });
  }
}
