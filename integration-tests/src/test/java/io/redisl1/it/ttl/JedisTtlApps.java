package io.redisl1.it.ttl;

import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;

/** {@code Jedis}, {@code JedisPool} and {@code JedisPooled} (a {@code UnifiedJedis}) as {@link TtlApp}s. */
final class JedisTtlApps {
  private JedisTtlApps() {}

  static TtlApp jedis(String host, int port) {
    Jedis jedis = new Jedis(host, port);
    return new TtlApp() {
      @Override
      public String get(String key) {
        return jedis.get(key);
      }

      @Override
      public List<Object> pipelinedGets(String... keys) {
        return pipelined(jedis, keys);
      }

      @Override
      public List<Object> multiGet(String key) {
        return multi(jedis, key);
      }

      @Override
      public void close() {
        jedis.close();
      }
    };
  }

  static TtlApp pool(String host, int port) {
    JedisPool pool = new JedisPool(host, port);
    return new TtlApp() {
      @Override
      public String get(String key) {
        try (Jedis jedis = pool.getResource()) {
          return jedis.get(key);
        }
      }

      @Override
      public List<Object> pipelinedGets(String... keys) {
        try (Jedis jedis = pool.getResource()) {
          return pipelined(jedis, keys);
        }
      }

      @Override
      public List<Object> multiGet(String key) {
        try (Jedis jedis = pool.getResource()) {
          return multi(jedis, key);
        }
      }

      @Override
      public void close() {
        pool.close();
      }
    };
  }

  static TtlApp pooled(String host, int port) {
    JedisPooled pooled = new JedisPooled(host, port);
    return new TtlApp() {
      @Override
      public String get(String key) {
        return pooled.get(key);
      }

      @Override
      public List<Object> pipelinedGets(String... keys) {
        List<Response<String>> responses = new ArrayList<>();
        try (var pipeline = pooled.pipelined()) {
          for (String key : keys) {
            responses.add(pipeline.get(key));
          }
          pipeline.sync();
        }
        List<Object> replies = new ArrayList<>();
        for (Response<String> r : responses) {
          replies.add(r.get());
        }
        return replies;
      }

      @Override
      public List<Object> multiGet(String key) {
        try (var tx = pooled.multi()) {
          tx.get(key);
          return tx.exec();
        }
      }

      @Override
      public void close() {
        pooled.close();
      }
    };
  }

  private static List<Object> pipelined(Jedis jedis, String... keys) {
    Pipeline pipeline = jedis.pipelined();
    List<Response<String>> responses = new ArrayList<>();
    for (String key : keys) {
      responses.add(pipeline.get(key));
    }
    pipeline.sync();
    List<Object> replies = new ArrayList<>();
    for (Response<String> r : responses) {
      replies.add(r.get());
    }
    return replies;
  }

  private static List<Object> multi(Jedis jedis, String key) {
    Transaction tx = jedis.multi();
    tx.get(key);
    return tx.exec();
  }
}
