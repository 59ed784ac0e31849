package io.redisl1.benchmarks;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Lettuce's own share of a GET hit in each API style, no agent involved: the same calls as {@link
 * LettuceGetBenchmark} on a real Lettuce connection (same codec) whose GETs are answered inside
 * {@code dispatch} with no I/O ({@link NoIoGetWriter}), as the agent answers a hit. What remains is
 * the client's command objects, futures, publishers and the value's decode; the agent's hit skips
 * the decode after the first one and the rest of {@code dispatch}, so this floor is, if anything, a
 * little above the client's share of a hit. {@link BenchmarkMain} runs it without the agent only.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class LettuceClientFloorBenchmark {
  private ClientResources resources;
  private NoIoGetWriter writer;
  private StatefulRedisConnection<String, String> connection;
  private RedisCommands<String, String> sync;
  private RedisAsyncCommands<String, String> async;
  private RedisReactiveCommands<String, String> reactive;
  private long calls;

  @Setup(Level.Trial)
  public void start() throws Exception {
    resources = DefaultClientResources.create();
    writer = new NoIoGetWriter(resources);
    connection = writer.connect(StringCodec.UTF8);
    sync = connection.sync();
    async = connection.async();
    reactive = connection.reactive();
    expectValue(lettuceSyncGetWithoutIo());
    expectValue(lettuceAsyncGetWithoutIo());
    expectValue(lettuceReactiveGetWithoutIo());
  }

  @Benchmark
  public String lettuceSyncGetWithoutIo() {
    calls++;
    return sync.get(RedisForBenchmark.KEY);
  }

  @Benchmark
  public String lettuceAsyncGetWithoutIo() throws Exception {
    calls++;
    return async.get(RedisForBenchmark.KEY).get();
  }

  @Benchmark
  public String lettuceReactiveGetWithoutIo() {
    calls++;
    return reactive.get(RedisForBenchmark.KEY).block();
  }

  static void expectValue(String value) {
    if (!RedisForBenchmark.VALUE.equals(value)) {
      throw new IllegalStateException("the floor did not return the benchmark's value: " + value);
    }
  }

  @TearDown(Level.Trial)
  public void stop() {
    System.out.printf("%n[check] %,d GETs by the benchmark, %,d answered without I/O%n", calls, writer.answered());
    connection.close();
    resources.shutdown();
    if (writer.answered() != calls) {
      throw new IllegalStateException("a GET did not go through Lettuce's dispatch to the no-I/O writer");
    }
  }
}
