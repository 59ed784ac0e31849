package io.redisl1.benchmarks;

import io.redisl1.testsupport.RedisHandle;
import io.redisl1.testsupport.RedisServers;
import io.redisl1.testsupport.RespClient;
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
import redis.clients.jedis.Jedis;

/**
 * A Redis-per-pod sidecar: a second {@code redis-server} on loopback, a replica of the main one,
 * read with a plain {@code Jedis.get}. Every call is a loopback round trip to the sidecar, none
 * reaches the main server. Run without the agent.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class SidecarGetBenchmark {
  private RedisForBenchmark main;
  private RedisHandle sidecar;
  private RespClient sidecarObserver;
  private Jedis jedis;
  private long calls;

  @Setup(Level.Trial)
  public void start() throws InterruptedException {
    main = new RedisForBenchmark();
    sidecar =
        RedisServers.startEmbedded(
            "--replicaof", main.host(), Integer.toString(main.port()), "--replica-read-only", "yes");
    sidecarObserver = sidecar.endpoint().connect();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!RedisForBenchmark.VALUE.equals(sidecarObserver.call("GET", RedisForBenchmark.KEY))) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the sidecar replica did not sync from the main server in 30 s");
      }
      Thread.sleep(50);
    }
    sidecarObserver.resetStats();
    jedis = new Jedis(sidecar.endpoint().host(), sidecar.endpoint().port());
  }

  @Benchmark
  public String sidecarJedisGet() {
    calls++;
    return jedis.get(RedisForBenchmark.KEY);
  }

  @TearDown(Level.Trial)
  public void stop() {
    System.out.printf(
        "%n[check] %,d GETs by the benchmark, %,d reached the sidecar, %,d reached the main server%n",
        calls, sidecarObserver.commandCalls("get"), main.serverGets());
    jedis.close();
    sidecarObserver.close();
    sidecar.close();
    main.close();
  }
}
