package io.redisl1.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RegisterExtensionTest {
  @RegisterExtension static final RedisServerExtension redis = new RedisServerExtension();

  @Test
  void getterAndParameterAgree(RedisEndpoint injected) {
    assertEquals(injected, redis.endpoint());
    try (RespClient client = redis.endpoint().connect()) {
      assertEquals("PONG", client.call("PING"));
    }
  }
}
