package io.redisl1.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisServersTest {

  @Test
  void embeddedServerIsPrivateAndNonPersistent() {
    try (RedisHandle redis = RedisServers.startEmbedded();
        RespClient client = redis.endpoint().connect()) {
      assertEquals("127.0.0.1", redis.endpoint().host());
      assertEquals(List.of("save", ""), client.call("CONFIG", "GET", "save"));
      assertEquals(List.of("appendonly", "no"), client.call("CONFIG", "GET", "appendonly"));
      assertEquals(List.of("bind", "127.0.0.1"), client.call("CONFIG", "GET", "bind"));
    }
  }

  @Test
  void serverIsGoneAfterClose() {
    RedisHandle redis = RedisServers.startEmbedded();
    RedisEndpoint endpoint = redis.endpoint();
    try (RespClient client = endpoint.connect()) {
      assertEquals("PONG", client.call("PING"));
    }
    redis.close();
    redis.close(); // idempotent

    UncheckedIOException e = assertThrows(UncheckedIOException.class, endpoint::connect);
    assertInstanceOf(ConnectException.class, e.getCause());
  }

  @Test
  void twoServersGetDifferentPorts() {
    try (RedisHandle a = RedisServers.startEmbedded();
        RedisHandle b = RedisServers.startEmbedded()) {
      try (RespClient ca = a.endpoint().connect(); RespClient cb = b.endpoint().connect()) {
        ca.call("SET", "who", "a");
        assertEquals(null, cb.call("GET", "who"));
      }
    }
  }
}
