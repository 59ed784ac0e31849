package io.redisl1.it;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.redisl1.testsupport.RespClient;
import redis.clients.jedis.Jedis;

/**
 * Jedis and Lettuce in one JVM against one Redis: they share one L1, so each sees the other's
 * fills as hits and the other's writes at once. Run by {@link MixedClientsTest}.
 */
public final class MixedClientsScenarios {
  public static void main(String[] args) {
    String host = args[1];
    int port = Integer.parseInt(args[2]);
    RedisClient client = RedisClient.create(RedisURI.create(host, port));
    try (RespClient server = new RespClient(host, port);
        Jedis jedis = new Jedis(host, port);
        StatefulRedisConnection<String, String> connection = client.connect()) {
      server.flushAll();
      server.call("SET", "user:m", "v1");
      server.resetStats();
      RedisCommands<String, String> lettuce = connection.sync();
      jedis.ping();

      print("jedis.fill", jedis.get("user:m"));
      print("lettuce.hit", lettuce.get("user:m"));
      print("gets@shared", server.commandCalls("get"));

      lettuce.set("user:m", "v2");
      print("jedis.afterLettuceWrite", jedis.get("user:m"));
      jedis.set("user:m", "v3");
      print("lettuce.afterJedisWrite", lettuce.get("user:m"));

      jedis.select(1);
      print("jedis.db1", jedis.get("user:m"));
      print("lettuce.db0", lettuce.get("user:m"));
    } finally {
      client.shutdown();
    }
  }

  private static void print(String name, Object value) {
    System.out.println(name + "=" + value);
  }
}
