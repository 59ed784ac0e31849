package io.redisl1.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RedisServerExtension.class)
class RespClientTest {
  private RedisEndpoint redis;
  private RespClient client;

  @BeforeEach
  void connect(RedisEndpoint redis) {
    this.redis = redis;
    client = redis.connect();
    client.flushAll();
  }

  @AfterEach
  void close() {
    client.close();
  }

  @Test
  void setAndGet() {
    assertEquals("OK", client.call("SET", "k", "värde"));
    assertEquals("värde", client.call("GET", "k"));
  }

  @Test
  void binaryArguments() {
    byte[] key = "bin".getBytes(StandardCharsets.UTF_8);
    client.call("SET".getBytes(StandardCharsets.UTF_8), key, new byte[] {'a', '\r', '\n', 'b'});
    assertEquals("a\r\nb", client.call("GET".getBytes(StandardCharsets.UTF_8), key));
  }

  @Test
  void missingKeyIsNull() {
    assertNull(client.call("GET", "absent"));
  }

  @Test
  void integerReply() {
    assertEquals(1L, client.call("INCR", "n"));
    assertEquals(5L, client.call("INCRBY", "n", "4"));
  }

  @Test
  void arrayReplyWithNil() {
    client.call("RPUSH", "list", "a", "b");
    assertEquals(List.of("a", "b"), client.call("LRANGE", "list", "0", "-1"));
    client.call("SET", "x", "1");
    assertEquals(Arrays.asList("1", null), client.call("MGET", "x", "absent"));
  }

  @Test
  void nilArray() {
    client.call("WATCH", "w");
    client.call("MULTI");
    try (RespClient other = redis.connect()) {
      other.call("SET", "w", "changed"); // breaks the WATCH, so EXEC answers a nil array
    }
    assertNull(client.call("EXEC"));
  }

  @Test
  void errorReplyThrowsWithServerMessage() {
    client.call("SET", "s", "text");
    RespErrorException e = assertThrows(RespErrorException.class, () -> client.call("INCR", "s"));
    assertTrue(e.getMessage().startsWith("ERR"), e.getMessage());
    assertEquals("PONG", client.call("PING"), "connection still usable after an error");
  }

  @Test
  void errorInsideArrayIsAnElement() {
    client.call("SET", "s", "text");
    client.call("MULTI");
    client.call("INCR", "s");
    client.call("PING");
    List<?> results = (List<?>) client.call("EXEC");
    assertInstanceOf(RespErrorException.class, results.get(0));
    assertEquals("PONG", results.get(1));
  }

  @Test
  void commandCallsCountsGetsAfterReset() {
    client.call("GET", "a");
    client.resetStats();
    assertEquals(0, client.commandCalls("GET"));
    for (int i = 0; i < 3; i++) {
      client.call("GET", "a");
    }
    assertEquals(3, client.commandCalls("GET"));
    assertEquals(0, client.commandCalls("HGETALL"));
  }

  @Test
  void selectSwitchesDatabase() {
    client.call("SET", "k", "db0");
    client.select(1);
    assertNull(client.call("GET", "k"));
    client.select(0);
    assertEquals("db0", client.call("GET", "k"));
  }
}
