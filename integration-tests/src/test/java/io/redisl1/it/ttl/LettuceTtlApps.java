package io.redisl1.it.ttl;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** One Lettuce connection used through its sync, async or reactive API, as a {@link TtlApp}. */
final class LettuceTtlApps {
  private LettuceTtlApps() {}

  static TtlApp of(String api, String host, int port) {
    RedisClient client = RedisClient.create(RedisURI.create(host, port));
    StatefulRedisConnection<String, String> c = client.connect();
    return new TtlApp() {
      @Override
      public String get(String key) {
        switch (api) {
          case "sync":
            return c.sync().get(key);
          case "async":
            return await(c.async().get(key));
          default:
            try {
              return c.reactive().get(key).block();
            } catch (RuntimeException e) {
              throw unwrap(e);
            }
        }
      }

      @Override
      public List<Object> pipelinedGets(String... keys) {
        c.setAutoFlushCommands(false);
        List<RedisFuture<String>> futures = new ArrayList<>();
        try {
          for (String key : keys) {
            futures.add(c.async().get(key));
          }
          c.flushCommands();
        } finally {
          c.setAutoFlushCommands(true);
        }
        List<Object> replies = new ArrayList<>();
        for (RedisFuture<String> f : futures) {
          replies.add(await(f));
        }
        return replies;
      }

      @Override
      public List<Object> multiGet(String key) {
        c.sync().multi();
        c.sync().get(key);
        TransactionResult result = c.sync().exec();
        List<Object> replies = new ArrayList<>();
        result.forEach(replies::add);
        return replies;
      }

      @Override
      public void close() {
        c.close();
        client.shutdown(0, 2, TimeUnit.SECONDS);
      }
    };
  }

  private static String await(RedisFuture<String> future) {
    try {
      return future.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw unwrap(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static RuntimeException unwrap(Throwable t) {
    Throwable cause = t;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause instanceof RuntimeException ? (RuntimeException) cause : new IllegalStateException(cause);
  }
}
