package io.redisl1.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RedisServerExtension.class)
class RedisServerExtensionTest {
  private static RedisEndpoint outer;

  @BeforeAll
  static void remember(RedisEndpoint redis) {
    outer = redis;
  }

  @Test
  void injectedEndpointAnswersPing(RedisEndpoint redis) {
    try (RespClient client = redis.connect()) {
      assertEquals("PONG", client.call("PING"));
    }
  }

  @Test
  void uriNamesHostAndPort(RedisEndpoint redis) {
    assertEquals("redis://" + redis.host() + ":" + redis.port(), redis.uri());
  }

  @Nested
  class NestedClass {
    @Test
    void reusesTheOuterServer(RedisEndpoint redis) {
      assertEquals(outer, redis);
    }
  }
}
