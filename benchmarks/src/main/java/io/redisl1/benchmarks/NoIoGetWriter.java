package io.redisl1.benchmarks;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelWriter;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StatefulRedisConnectionImpl;
import io.lettuce.core.api.push.PushListener;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ConnectionFacade;
import io.lettuce.core.protocol.PushHandler;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.resource.ClientResources;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where a Lettuce connection's commands go instead of a socket, for the client floor rows: a GET is
 * answered at once with {@link RedisForBenchmark#VALUE}'s bytes through the command's own output,
 * as a reply would be, on the caller's thread. Any other command fails, so a floor cannot measure
 * something else by mistake. One benchmark thread only.
 */
final class NoIoGetWriter implements RedisChannelWriter, PushHandler {
  private static final byte[] VALUE = RedisForBenchmark.VALUE.getBytes(StandardCharsets.UTF_8);

  private final ClientResources resources;
  private long answered;

  NoIoGetWriter(ClientResources resources) {
    this.resources = resources;
  }

  /** A real Lettuce connection, set up as {@code RedisClient.connect} would, whose commands reach this writer. */
  <K, V> StatefulRedisConnectionImpl<K, V> connect(RedisCodec<K, V> codec) {
    StatefulRedisConnectionImpl<K, V> connection =
        new StatefulRedisConnectionImpl<>(this, this, codec, RedisURI.DEFAULT_TIMEOUT_DURATION);
    connection.setOptions(ClientOptions.create());
    return connection;
  }

  /** GETs answered so far: each one went through Lettuce's dispatch and its output's decode. */
  long answered() {
    return answered;
  }

  @Override
  public <K, V, T> RedisCommand<K, V, T> write(RedisCommand<K, V, T> command) {
    if (command.getType() != CommandType.GET) {
      command.completeExceptionally(new UnsupportedOperationException("only GET is answered: " + command.getType()));
      return command;
    }
    command.getOutput().set(ByteBuffer.wrap(VALUE));
    command.complete();
    answered++;
    return command;
  }

  @Override
  public <K, V> Collection<RedisCommand<K, V, ?>> write(Collection<? extends RedisCommand<K, V, ?>> commands) {
    commands.forEach(this::write);
    return List.copyOf(commands);
  }

  @Override
  public ClientResources getClientResources() {
    return resources;
  }

  @Override
  public CompletableFuture<Void> closeAsync() {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void close() {}

  @Override
  public void reset() {}

  @Override
  public void setConnectionFacade(ConnectionFacade connection) {}

  @Override
  public void setAutoFlushCommands(boolean autoFlush) {}

  @Override
  public void flushCommands() {}

  @Override
  public void addListener(PushListener listener) {}

  @Override
  public void removeListener(PushListener listener) {}

  @Override
  public Collection<PushListener> getPushListeners() {
    return List.of();
  }
}
