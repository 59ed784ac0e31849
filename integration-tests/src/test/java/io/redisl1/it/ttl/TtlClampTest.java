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
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An entry lives at most min(rule ttl, remaining Redis TTL - ttl-margin), learnt from a PTTL the
 * agent sends behind the GET; the app's replies, pipelines and MULTI are as without the agent.
 * Forked JVMs under the built agent, one per client API, against a real Redis.
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

  /**
   * Jedis only: Lettuce connections do not send the PTTL yet and fill with the rule's TTL (README,
   * known limits). The scenarios keep their Lettuce apps for when they do.
   */
  @ParameterizedTest
  @ValueSource(strings = {"jedis", "jedis-pool", "jedis-pooled"})
  void entriesEndBeforeRedisDropsTheirKey(String client, RedisEndpoint redis) {
    Outcome o = AgentRun.withConfig(CONFIG).run(TtlClampScenarios.class, client, redis);
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

    // One PTTL per cacheable miss: user:r, user:missing and user:list, never other:missing.
    long gets = o.number("replies.gets");
    assertEquals(gets - 1, o.number("replies.pttls"), "a PTTL with every cacheable miss; " + o);
    assertEquals(4, gets, "value, nil, uncached and WRONGTYPE; the rest hit; " + o);

    // Pipelines and MULTI: no PTTL, nothing filled.
    assertEquals(0, o.number("pipe.pttls"), o::toString);
    assertEquals(4, o.number("pipe.gets"), "the pipelined GETs filled nothing; " + o);
    assertEquals(0, o.number("multi.pttls"), o::toString);
    assertEquals(1, o.number("multi.gets"), o::toString);

    Outcome plain = baseline(client, redis);
    for (String name : List.of(
        "replies.value", "replies.valueAgain", "replies.nil", "replies.uncached", "replies.wrongtype",
        "replies.afterError", "pipe.replies", "pipe.again", "multi.exec")) {
      assertEquals(plain.get(name), o.get(name), name + " as without the agent; " + o);
    }
    assertTrue(o.get("replies.wrongtype").contains("WRONGTYPE"), o::toString);
  }

  private static Outcome baseline(String client, RedisEndpoint redis) {
    // Jedis, JedisPool and JedisPooled throw the same exceptions, as do Lettuce's three APIs.
    String family = client.startsWith("jedis") ? "jedis" : "lettuce-sync";
    return BASELINES.computeIfAbsent(
        family,
        c -> {
          Outcome o = AgentRun.withoutAgent().run(TtlClampScenarios.class, "baseline:" + c, redis);
          assertEquals(0, o.result.exitCode(), o::toString);
          return o;
        });
  }
}
