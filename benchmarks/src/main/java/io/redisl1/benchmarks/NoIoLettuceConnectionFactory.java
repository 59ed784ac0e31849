package io.redisl1.benchmarks;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.codec.RedisCodec;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionProvider;

/**
 * A {@code LettuceConnectionFactory} with Spring Data Redis's defaults whose native Lettuce
 * connections are {@link NoIoGetWriter}'s, plugged in through the factory's documented hook for
 * connection providers; everything else (shared connection, {@code LettuceConnection}, templates)
 * is Spring's own.
 */
final class NoIoLettuceConnectionFactory extends LettuceConnectionFactory {
  private final NoIoGetWriter writer;

  NoIoLettuceConnectionFactory(NoIoGetWriter writer) {
    super(
        new RedisStandaloneConfiguration(), // never connected to
        LettuceClientConfiguration.builder().clientResources(writer.getClientResources()).build());
    this.writer = writer;
  }

  @Override
  protected LettuceConnectionProvider doCreateConnectionProvider(AbstractRedisClient client, RedisCodec<?, ?> codec) {
    return new NoIoConnectionProvider(writer.connect(codec));
  }

  /** Hands out one connection, as the factory's shared native connection. */
  private static final class NoIoConnectionProvider implements LettuceConnectionProvider {
    private final StatefulConnection<?, ?> connection;

    NoIoConnectionProvider(StatefulConnection<?, ?> connection) {
      this.connection = connection;
    }

    @Override
    public <T extends StatefulConnection<?, ?>> CompletionStage<T> getConnectionAsync(Class<T> connectionType) {
      return CompletableFuture.completedFuture(connectionType.cast(connection));
    }
  }
}
