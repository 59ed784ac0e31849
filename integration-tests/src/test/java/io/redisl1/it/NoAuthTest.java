package io.redisl1.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisl1.it.AgentRun.Outcome;
import io.redisl1.testsupport.RedisHandle;
import io.redisl1.testsupport.RedisServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A server with a password: an unauthenticated client's NOAUTH reaches it as without the agent. */
public class NoAuthTest {
  public static final String PASSWORD = "pw";
  private static RedisHandle redis;

  @BeforeAll
  static void start() {
    redis = RedisServers.startEmbedded("--requirepass", PASSWORD);
  }

  @AfterAll
  static void stop() {
    redis.close();
  }

  @Test
  void jedisSeesNoauthEveryTime() {
    Outcome with = AgentRun.withConfig(AgentRun.CONFIG).run(JedisProgram.class, "noauth", redis.endpoint());
    Outcome without = AgentRun.withoutAgent().run(JedisProgram.class, "noauth", redis.endpoint());

    assertTrue(with.get("get0").contains("NOAUTH"), with::toString);
    assertEquals(without.get("get0"), with.get("get0"));
    assertEquals(without.get("get1"), with.get("get1"));
  }

  @Test
  void lettuceFailsAsWithoutTheAgent() {
    Outcome with = AgentRun.withConfig(AgentRun.CONFIG).run(LettuceProgram.class, "noauth", redis.endpoint());
    Outcome without = AgentRun.withoutAgent().run(LettuceProgram.class, "noauth", redis.endpoint());

    assertTrue(with.get("get0").contains("NOAUTH"), with::toString);
    assertEquals(without.get("get0"), with.get("get0"));
    assertEquals(without.get("get1"), with.get("get1"));
  }
}
