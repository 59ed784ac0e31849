package io.redisl1.benchmarks;

import io.redisl1.store.L1Entry;
import io.redisl1.store.L1Runtime;
import io.redisl1.store.session.RedisSession;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The agent's own share of a hit, without any client around it: the session's checks, the rule
 * match and the store lookup, as the Jedis and Lettuce advice call them.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class L1StoreGetBenchmark {
  private L1Runtime runtime;
  private RedisSession session;
  private byte[] key;

  @Setup
  public void fill() {
    runtime = StoreForBenchmark.start();
    session = new RedisSession("127.0.0.1:6379", 0);
    key = RedisForBenchmark.KEY.getBytes(StandardCharsets.UTF_8);
    StoreForBenchmark.fill(runtime, session, key, RedisForBenchmark.VALUE.getBytes(StandardCharsets.UTF_8));
  }

  @Benchmark
  public L1Entry sessionLookup() {
    return session.lookup(runtime, key);
  }
}
