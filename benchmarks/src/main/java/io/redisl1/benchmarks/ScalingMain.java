package io.redisl1.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Whether the agent's share of a hit scales like Caffeine: {@link SharedHitBenchmark} at 1, 2, 4
 * and 8 threads, both benchmarks in the same fork at each thread count, and each one's throughput
 * relative to its own single-thread figure. No client: the client's own allocation is what the
 * load suite's scaling table adds on top.
 *
 * <p>{@code -Dbench.iterations} (default 5), {@code -Dbench.seconds} (default 1), {@code
 * -Dbench.threads} (default 1,2,4,8). Writes {@code target/jmh-scaling-results.md}.
 */
public final class ScalingMain {
  public static void main(String[] args) throws Exception {
    int iterations = Integer.getInteger("bench.iterations", 5);
    TimeValue time = TimeValue.seconds(Integer.getInteger("bench.seconds", 1));
    String[] threads = System.getProperty("bench.threads", "1,2,4,8").split(",");
    String loadAtStart = SuiteSupport.loadAverage();
    List<double[]> scores = new ArrayList<>(); // per thread count: {agent ops/us, caffeine ops/us, errors}
    for (String t : threads) {
      double[] row = new double[4];
      for (RunResult r : new Runner(new OptionsBuilder()
          .include(SharedHitBenchmark.class.getName())
          .threads(Integer.parseInt(t.trim()))
          .forks(1)
          .warmupIterations(iterations)
          .warmupTime(time)
          .measurementIterations(iterations)
          .measurementTime(time)
          .build()).run()) {
        boolean agent = r.getParams().getBenchmark().endsWith("sharedSessionLookup");
        row[agent ? 0 : 1] = r.getPrimaryResult().getScore();
        row[agent ? 2 : 3] = r.getPrimaryResult().getScoreError();
      }
      scores.add(row);
    }
    StringBuilder md = new StringBuilder();
    md.append(String.format(Locale.ROOT, "Measured %s, %d CPUs, load average %s at start and %s at the end; "
            + "%d × %s s warm-up and measured, 1 fork per thread count.%n%n",
        Instant.now(), Runtime.getRuntime().availableProcessors(), loadAtStart, SuiteSupport.loadAverage(),
        iterations, time.getTime()));
    md.append("| threads | agent's share: hits/s | vs. 1 thread | Caffeine getIfPresent: hits/s | vs. 1 thread | agent ÷ Caffeine |\n");
    md.append("|---:|---:|---:|---:|---:|---:|\n");
    for (int i = 0; i < threads.length; i++) {
      double[] row = scores.get(i);
      md.append(String.format(Locale.ROOT, "| %s | %,.0f ± %,.0f | %.2f× | %,.0f ± %,.0f | %.2f× | %.2f |%n",
          threads[i].trim(), row[0] * 1e6, row[2] * 1e6, row[0] / scores.get(0)[0],
          row[1] * 1e6, row[3] * 1e6, row[1] / scores.get(0)[1], row[0] / row[1]));
    }
    System.out.println();
    System.out.println(md);
    Path out = Paths.get("target", "jmh-scaling-results.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, md);
    System.out.println("written to " + out.toAbsolutePath());
  }
}
