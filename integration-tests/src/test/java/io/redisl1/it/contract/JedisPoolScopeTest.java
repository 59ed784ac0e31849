package io.redisl1.it.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.redisl1.testsupport.RedisServerExtension;
import io.redisl1.testsupport.RespClient;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.UUID;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.providers.PooledConnectionProvider;

/**
 * A pooled {@code UnifiedJedis} ({@code JedisPooled}, {@code RedisClient}) answers hits before it
 * borrows a connection, and stops doing so as soon as a connection of its pool may read elsewhere.
 * Borrows are counted by the pool itself, GETs by the server.
 */
@Tag("jedis-contract")
class JedisPoolScopeTest {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private RespClient server;
  private PooledConnectionProvider provider;
  private UnifiedJedis pooled;

  @BeforeAll
  static void underTheAgent() {
    ClientContract.underTheAgent();
  }

  @BeforeEach
  void open() {
    server = REDIS.endpoint().connect();
    GenericObjectPoolConfig<Connection> one = new GenericObjectPoolConfig<>();
    one.setMaxTotal(1); // every borrow gets the same connection, as an idle pool's LIFO mostly does
    provider = new PooledConnectionProvider(
        JedisClient.address(REDIS.endpoint()), JedisClient.config(Scope.DEFAULT), one);
    pooled = new UnifiedJedis(provider, 1, Duration.ofSeconds(5));
  }

  @AfterEach
  void close() {
    pooled.close();
    server.close();
  }

  @Test
  void hitsAreAnsweredBeforeAnyConnectionIsBorrowed() {
    String k = "user:" + UUID.randomUUID();
    server.call("SET", k, "alice");
    long gets = gets();

    assertEquals("alice", pooled.get(k));
    long borrowed = borrows();
    for (int i = 0; i < 20; i++) {
      assertEquals("alice", pooled.get(k));
    }
    assertEquals(borrowed, borrows(), "hits borrow nothing");
    assertEquals(gets + 1, gets(), "one miss, then hits");
  }

  @Test
  void aSelectOnAPooledConnectionStopsThePoolsAnswers() {
    String k = "user:" + UUID.randomUUID();
    server.call("SET", k, "db0");
    server.select(1);
    server.call("SET", k, "db1");
    server.select(0);
    assertEquals("db0", pooled.get(k));
    assertEquals("db0", pooled.get(k));

    // The connection goes back to the pool in db 1: the next GET borrows it and reads db 1.
    pooled.sendCommand(Protocol.Command.SELECT, "1");
    long borrowed = borrows();
    assertEquals("db1", pooled.get(k), "never db 0's entry once a pooled connection reads db 1");
    assertEquals("db1", pooled.get(k));
    assertEquals(borrowed + 2, borrows(), "the pool no longer answers before borrowing");

    pooled.sendCommand(Protocol.Command.SELECT, "0");
    assertEquals("db0", pooled.get(k));
    long back = borrows();
    assertEquals("db0", pooled.get(k));
    assertEquals(back, borrows(), "settled in the pool's scope again: answered before borrowing");
  }

  private long borrows() {
    try {
      Field pool = PooledConnectionProvider.class.getDeclaredField("pool");
      pool.setAccessible(true);
      return ((GenericObjectPool<?>) pool.get(provider)).getBorrowedCount();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private long gets() {
    return server.commandCalls("get");
  }
}
