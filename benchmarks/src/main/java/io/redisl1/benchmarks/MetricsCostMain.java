package io.redisl1.benchmarks;

import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * What the operator view costs a hit, in one invocation: a {@code Jedis.get} hit under the agent
 * with metrics on (its endpoint scraped every second from this JVM) and with {@code
 * -Dredisl1.metrics.enabled=false}, then {@link MeteredLookupBenchmark}'s store-level hit with
 * the meters off and on.
 *
 * <p>With metrics on, the store also samples hit latency (one lookup in 256 per thread timed), so
 * "on" includes that sample's cost.
 *
 * <p>Usage: {@code MetricsCostMain <agent jar>}; {@code -Dbench.iterations}, {@code -Dbench.seconds},
 * {@code -Dbench.forks} (each row lists its forks' means and their median).
 */
public final class MetricsCostMain {
  private static final String CONFIG = "max-memory: 64MB\nrules:\n  - prefix: \"bench:\"\n    ttl: 1h\n";

  public static void main(String[] args) throws Exception {
    Path agent = Paths.get(args[0]).toAbsolutePath();
    if (!Files.isRegularFile(agent)) {
      throw new IllegalStateException("build the agent first: " + agent);
    }
    Path config = Files.writeString(Files.createTempFile("redis-l1-bench", ".yaml"), CONFIG);
    String kept =
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(entry -> !Paths.get(entry).getFileName().toString().startsWith("redis-l1-agent"))
            .collect(Collectors.joining(File.pathSeparator));
    System.setProperty("java.class.path", kept);

    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    AtomicLong scrapes = new AtomicLong();
    ScheduledExecutorService scraper = Executors.newSingleThreadScheduledExecutor();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest scrape = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build();
    scraper.scheduleAtFixedRate(() -> {
      try {
        if (http.send(scrape, HttpResponse.BodyHandlers.ofString()).body().contains("cache_gets_total")) {
          scrapes.incrementAndGet();
        }
      } catch (Exception notListening) {
        // between forks, or before the endpoint is up
      }
    }, 1, 1, TimeUnit.SECONDS);

    String jedisGet = JedisGetBenchmark.class.getName() + ".jedisGet$";
    Collection<RunResult> on =
        new Runner(options(jedisGet).jvmArgsAppend("-javaagent:" + agent, "-Dredisl1.config=" + config,
            "-Dredisl1.metrics.host=127.0.0.1", "-Dredisl1.metrics.port=" + port).build()).run();
    long scraped = scrapes.get();
    Collection<RunResult> off =
        new Runner(options(jedisGet).jvmArgsAppend("-javaagent:" + agent, "-Dredisl1.config=" + config,
            "-Dredisl1.metrics.enabled=false").build()).run();
    scraper.shutdownNow();
    Collection<RunResult> store = new Runner(options(MeteredLookupBenchmark.class.getName()).build()).run();

    List<String> rows = new ArrayList<>();
    rows.add("| call | metrics | ns/op, all forks | ± (99.9%) | median of fork means | fork means | B/op allocated |");
    rows.add("|---|---|---:|---:|---:|---|---:|");
    on.forEach(r -> rows.add(row(r, "jedisGet, L1 hit", "on, endpoint scraped every 1 s (" + scraped + " scrapes)")));
    off.forEach(r -> rows.add(row(r, "jedisGet, L1 hit", "off (`redisl1.metrics.enabled=false`)")));
    store.forEach(r -> rows.add(row(r, "sessionLookup (agent's share, no client)",
        r.getParams().getParam("metrics").equals("on") ? "on, registry scraped every 1 s" : "off, no registry")));
    String table = String.join("\n", rows) + "\n";
    System.out.println();
    System.out.println(table);
    Path out = Paths.get("target", "jmh-metrics-results.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, table);
    System.out.println("written to " + out.toAbsolutePath());
  }

  private static ChainedOptionsBuilder options(String include) {
    int iterations = Integer.getInteger("bench.iterations", 5);
    TimeValue time = TimeValue.seconds(Integer.getInteger("bench.seconds", 2));
    return new OptionsBuilder()
        .include(include)
        .forks(Integer.getInteger("bench.forks", 1))
        .warmupIterations(iterations)
        .warmupTime(time)
        .measurementIterations(iterations)
        .measurementTime(time)
        .addProfiler(GCProfiler.class);
  }

  private static String row(RunResult r, String call, String metrics) {
    Result primary = r.getPrimaryResult();
    Result alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
    double[] forks = r.getBenchmarkResults().stream().mapToDouble(b -> b.getPrimaryResult().getScore()).toArray();
    double[] sorted = forks.clone();
    Arrays.sort(sorted);
    double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
        : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    String each = Arrays.stream(forks).mapToObj(f -> String.format(Locale.ROOT, "%.1f", f)).collect(Collectors.joining(", "));
    return String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.1f | %s | %s |", call, metrics, primary.getScore(),
        primary.getScoreError(), median, each, alloc == null ? "?" : String.format(Locale.ROOT, "%.0f", alloc.getScore()));
  }
}
