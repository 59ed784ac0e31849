package io.redisl1.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.redisl1.it.AgentRun.Outcome;
import io.redisl1.testsupport.RedisEndpoint;
import io.redisl1.testsupport.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** One L1 for both clients: the same keyspace, the same invalidations. */
@ExtendWith(RedisServerExtension.class)
class MixedClientsTest {
  @Test
  void jedisAndLettuceShareOneL1(RedisEndpoint redis) {
    Outcome o = AgentRun.withConfig(JedisAgentTest.CONFIG).run(MixedClientsScenarios.class, "mixed", redis);

    assertEquals(0, o.result.exitCode(), o::toString);
    assertEquals("v1", o.get("jedis.fill"));
    assertEquals("v1", o.get("lettuce.hit"));
    assertEquals(1, o.number("gets@shared"), "Lettuce was answered from Jedis's fill; " + o);
    assertEquals("v2", o.get("jedis.afterLettuceWrite"));
    assertEquals("v3", o.get("lettuce.afterJedisWrite"));
    assertEquals("null", o.get("jedis.db1"), "db 1 has no user:m; " + o);
    assertEquals("v3", o.get("lettuce.db0"));
  }
}
