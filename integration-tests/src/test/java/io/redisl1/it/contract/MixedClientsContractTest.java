package io.redisl1.it.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.redisl1.testsupport.RedisEndpoint;
import io.redisl1.testsupport.RedisServerExtension;
import io.redisl1.testsupport.RespClient;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Jedis, Lettuce and Spring in one JVM against one Redis share one L1: each is answered from the
 * others' fills and sees the others' writes at once. Runs in the contract execution that has the
 * module's own Jedis, Lettuce and Spring Data Redis on the class path.
 */
@Tag("mixed-contract")
class MixedClientsContractTest {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();
  private final Map<String, Client> clients = new LinkedHashMap<>();

  @BeforeAll
  static void underTheAgent() {
    ClientContract.underTheAgent();
  }

  @AfterEach
  void closeAll() {
    clients.values().forEach(Client::close);
  }

  @Test
  void everyClientIsAnsweredFromTheOthersFillsAndSeesTheirWrites() {
    RedisEndpoint redis = REDIS.endpoint();
    clients.put("Jedis", new JedisContractTest().open(redis, Scope.DEFAULT));
    clients.put("JedisPool", new JedisPoolContractTest().open(redis, Scope.DEFAULT));
    clients.put("Lettuce sync", new LettuceSyncContractTest().open(redis, Scope.DEFAULT));
    clients.put("Lettuce reactive", new LettuceReactiveContractTest().open(redis, Scope.DEFAULT));
    clients.put("StringRedisTemplate", new StringRedisTemplateContractTest().open(redis, Scope.DEFAULT));
    try (RespClient server = redis.connect()) {
      server.call("SET", "user:m", "v0");
      long before = server.commandCalls("get");

      for (Map.Entry<String, Client> reader : clients.entrySet()) {
        assertEquals("v0", reader.getValue().get("user:m"), reader.getKey());
      }
      assertEquals(before + 1, server.commandCalls("get"), "all but the first were answered from the first one's fill");

      for (Map.Entry<String, Client> writer : clients.entrySet()) {
        String value = "by " + writer.getKey();
        writer.getValue().set("user:m", value);
        for (Map.Entry<String, Client> reader : clients.entrySet()) {
          assertEquals(value, reader.getValue().get("user:m"), reader.getKey() + " after a write through " + writer.getKey());
        }
      }

      Client jedis = clients.get("Jedis");
      jedis.select(1);
      assertNull(jedis.get("user:m"), "db 1 has no user:m");
      assertEquals("by StringRedisTemplate", clients.get("Lettuce sync").get("user:m"), "db 0's entry is untouched");
    }
  }
}
