package io.redisl1.it.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.redisl1.testsupport.RedisServerExtension;
import io.redisl1.testsupport.RespClient;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.providers.PooledConnectionProvider;

/**
 * {@code Jedis.get} and {@code UnifiedJedis.get} answer hits before Jedis builds the command; these
 * are the cases where they must not: Jedis's own refusals while a transaction or pipeline is open
 * on the {@code Jedis}, and a key pre-processor (Jedis 5+) that makes the key sent differ from the
 * key given.
 */
@Tag("jedis-contract")
class JedisEarlyHitTest {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private RespClient server;

  @BeforeAll
  static void underTheAgent() {
    ClientContract.underTheAgent();
  }

  @BeforeEach
  void open() {
    server = REDIS.endpoint().connect();
  }

  @AfterEach
  void close() {
    server.close();
  }

  @Test
  void jedisStillRefusesAGetWhileATransactionOrPipelineIsOpenEvenForACachedKey() {
    String k = "user:" + UUID.randomUUID();
    server.call("SET", k, "alice");
    try (Jedis jedis = new Jedis(JedisClient.address(REDIS.endpoint()), JedisClient.config(Scope.DEFAULT))) {
      assertEquals("alice", jedis.get(k));
      assertEquals("alice", jedis.get(k)); // cached

      Transaction multi = jedis.multi();
      assertThrows(IllegalStateException.class, () -> jedis.get(k));
      multi.discard();
      Pipeline pipeline = jedis.pipelined();
      pipeline.get(k);
      assertThrows(IllegalStateException.class, () -> jedis.get(k));
      pipeline.sync();
      assertEquals("alice", jedis.get(k), "served again once both are closed");
    }
  }

  /**
   * The early hits look a {@code String} key up without encoding it when it is ASCII: it must be
   * the same entry as its UTF-8 bytes, and a key with other characters must still be found (and a
   * rule's prefix still matched) exactly as its bytes are.
   */
  @Test
  void aStringKeyIsTheEntryOfItsUtf8BytesWhateverItsCharacters() {
    String id = UUID.randomUUID().toString();
    try (Jedis jedis = new Jedis(JedisClient.address(REDIS.endpoint()), JedisClient.config(Scope.DEFAULT));
        UnifiedJedis pooled = new UnifiedJedis(new PooledConnectionProvider(
            JedisClient.address(REDIS.endpoint()), JedisClient.config(Scope.DEFAULT)), 1, Duration.ofSeconds(5))) {
      for (String k : List.of("user:" + id, "user:é€😀:" + id, "user:\u00ff:" + id)) {
        server.call("SET", k, "v-" + k);
        server.resetStats();
        assertEquals("v-" + k, jedis.get(k));
        assertEquals("v-" + k, jedis.get(k));
        assertArrayEquals(("v-" + k).getBytes(StandardCharsets.UTF_8), jedis.get(k.getBytes(StandardCharsets.UTF_8)));
        assertEquals("v-" + k, pooled.get(k));
        assertEquals("v-" + k, pooled.get(k));
        assertEquals(1, server.commandCalls("get"), k + ": one GET filled, every other was a hit of that entry");
      }
      // A cached prefix inside a key that does not start with it, and a key only its bytes make long enough.
      for (String k : List.of("üser:" + id, "\u00e9:user:" + id, "usé")) {
        server.call("SET", k, "v-" + k);
        server.resetStats();
        for (int i = 0; i < 2; i++) {
          assertEquals("v-" + k, jedis.get(k));
          assertEquals("v-" + k, pooled.get(k));
        }
        assertEquals(4, server.commandCalls("get"), k + ": no rule caches it, every GET reaches Redis");
      }
    }
  }

  @Test
  void aKeyPreProcessorIsHonouredOnEveryGet() throws Exception {
    Method setter = setterOrNull();
    assumeTrue(setter != null, "this Jedis has no key pre-processor (added in 5.0)");
    String k = "user:" + UUID.randomUUID();
    server.call("SET", k, "plain");
    server.call("SET", "user:app:" + k.substring("user:".length()), "prefixed");
    try (UnifiedJedis pooled = new UnifiedJedis(new PooledConnectionProvider(
        JedisClient.address(REDIS.endpoint()), JedisClient.config(Scope.DEFAULT)), 1, Duration.ofSeconds(5))) {
      assertEquals("plain", pooled.get(k));
      assertEquals("plain", pooled.get(k)); // cached under the key as given

      Function<Object, Object> prefixer = key -> "user:app:" + String.valueOf(key).substring("user:".length());
      setter.invoke(pooled, preProcessor(setter.getParameterTypes()[0], prefixer));
      for (int i = 0; i < 3; i++) {
        assertEquals("prefixed", pooled.get(k), "the key sent is the pre-processed one");
      }
    }
  }

  private static Method setterOrNull() {
    for (Method m : UnifiedJedis.class.getMethods()) {
      if (m.getName().equals("setKeyArgumentPreProcessor")) {
        return m;
      }
    }
    return null;
  }

  /** A {@code CommandKeyArgumentPreProcessor} (a one-method interface) without compiling against Jedis 5. */
  private static Object preProcessor(Class<?> type, Function<Object, Object> f) {
    return java.lang.reflect.Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
        (proxy, method, args) -> method.getName().equals("actualKey") ? f.apply(args[0]) : method.invoke(f, args));
  }
}
