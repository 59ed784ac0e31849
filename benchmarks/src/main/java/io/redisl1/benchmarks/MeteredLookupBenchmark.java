package io.redisl1.benchmarks;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.redisl1.metrics.L1Meters;
import io.redisl1.store.L1Entry;
import io.redisl1.store.L1Runtime;
import io.redisl1.store.session.RedisSession;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The agent's own share of a hit ({@link L1StoreGetBenchmark#sessionLookup}) with the meters off,
 * and on: bound to a Prometheus registry that another thread scrapes every second, as an
 * over-eager Prometheus would. Bound, the store also samples hit latency (one lookup in 256 timed).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class MeteredLookupBenchmark {
  @Param({"off", "on"})
  public String metrics;

  private L1Runtime runtime;
  private RedisSession session;
  private byte[] key;
  private ScheduledExecutorService scraper;
  private long scrapes;

  @Setup
  public void fill() {
    runtime = StoreForBenchmark.start();
    session = new RedisSession("127.0.0.1:6379", 0);
    key = RedisForBenchmark.KEY.getBytes(StandardCharsets.UTF_8);
    StoreForBenchmark.fill(runtime, session, key, RedisForBenchmark.VALUE.getBytes(StandardCharsets.UTF_8));
    if (metrics.equals("on")) {
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      L1Meters.bind(registry, runtime);
      scraper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "scraper");
        t.setDaemon(true);
        return t;
      });
      scraper.scheduleAtFixedRate(() -> {
        if (registry.scrape().contains("cache_gets_total")) {
          scrapes++;
        }
      }, 0, 1, TimeUnit.SECONDS);
    }
  }

  @Benchmark
  public L1Entry sessionLookup() {
    return session.lookup(runtime, key);
  }

  @TearDown
  public void stop() throws InterruptedException {
    if (scraper != null) {
      scraper.shutdown();
      scraper.awaitTermination(5, TimeUnit.SECONDS);
      System.out.printf("%n[check] %d scrapes during the trial, %,d hits counted, %,d of them timed (hit-latency sample)%n",
          scrapes, runtime.store().stats().hits(), runtime.store().stats().hitLatency().count());
    }
  }
}
