package io.redisl1.it.contract;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.redisl1.testsupport.RedisEndpoint;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** The contract on a plain {@code Jedis}, plus its byte[] API. */
@Tag("jedis-contract")
class JedisContractTest extends ClientContract {
  @Override
  public Client open(RedisEndpoint redis, Scope scope) {
    Jedis jedis = new Jedis(JedisClient.address(redis), JedisClient.config(scope));
    // Jedis connects lazily, and the first command of an unconnected Jedis always goes to Redis
    // (README, known limits): connect as an application's first command would.
    jedis.connect();
    return new JedisClient(jedis);
  }

  @Test
  void theBinaryApiIsCachedAndItsHitsAreCopies() {
    String k = key("user:");
    server().call("SET", k, "bytes");
    try (Jedis jedis = new Jedis(JedisClient.address(redis()), JedisClient.config(Scope.DEFAULT))) {
      jedis.connect();
      long before = gets();

      byte[] first = jedis.get(k.getBytes(UTF_8));
      assertEquals("bytes", new String(first, UTF_8));
      byte[] second = jedis.get(k.getBytes(UTF_8));
      second[0] = 'X';
      assertEquals("bytes", new String(jedis.get(k.getBytes(UTF_8)), UTF_8), "a mutated hit leaked into the cache");
      assertEquals("bytes", jedis.get(k), "the String API shares the byte[] API's entry");
      assertEquals(before + 1, gets());
    }
  }
}
