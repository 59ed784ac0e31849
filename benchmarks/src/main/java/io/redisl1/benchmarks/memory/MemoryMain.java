package io.redisl1.benchmarks.memory;

import io.redisl1.testsupport.ForkedJvm;
import io.redisl1.testsupport.RedisHandle;
import io.redisl1.testsupport.RedisServers;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * What the L1 really holds on the heap, in one invocation of four forked JVMs (serial GC, heap
 * measured after full collections, before the first and after the last of two passes of reads):
 *
 * <ol>
 *   <li>without the agent, reading a working set 10× the budget: the client's own retained heap;
 *   <li>under the agent with {@code max-memory} = the budget, the same keys read once per pass: the
 *       L1 full and evicting, entries never hit;
 *   <li>the same, each key read twice in a row: every entry kept has been hit once and so also holds
 *       the value the hit decoded, the worst case for the weigher, which counts bytes only;
 *   <li>under the agent with a budget far above a smaller key set that all stays cached (checked:
 *       its last pass sends no GET to Redis): heap per entry, against the weigher's estimate (key
 *       bytes + value bytes + 160 B).
 * </ol>
 *
 * <p>Entry counts and weighed bytes come from the agent's {@code io.redisl1:type=L1} MBean.
 *
 * <p>Usage: {@code MemoryMain <agent jar>}, {@code -Dmemory.budgetMB=4}, {@code
 * -Dmemory.valueBytes=100}, {@code -Dmemory.fitKeys=50000}. Writes {@code target/memory-results.md}.
 */
public final class MemoryMain {
  /** The weigher's per-entry estimate (l1-store's {@code L1Settings.DEFAULT_ENTRY_OVERHEAD}). */
  static final int ESTIMATED_OVERHEAD = 160;

  private MemoryMain() {}

  /** Keys read (and cached) before the first heap figure, so lazy set-up is not counted as entries. */
  static final int WARM_KEYS = 200;

  static String warmKey(int i) {
    return "mem:warm:" + i;
  }

  static String key(int i) {
    return String.format(Locale.ROOT, "mem:key:%07d", i);
  }

  public static void main(String[] args) throws Exception {
    Path agent = Paths.get(args[0]).toAbsolutePath();
    if (!Files.isRegularFile(agent)) {
      throw new IllegalStateException("build the agent first (./mvnw -pl agent -am package): " + agent);
    }
    int budgetMb = Integer.getInteger("memory.budgetMB", 4);
    int valueBytes = Integer.getInteger("memory.valueBytes", 100);
    int fitKeys = Integer.getInteger("memory.fitKeys", 50_000);
    if (budgetMb < 1 || valueBytes < 1 || fitKeys < 1) {
      throw new IllegalArgumentException("-Dmemory.budgetMB, -Dmemory.valueBytes and -Dmemory.fitKeys must be >= 1");
    }
    int keyBytes = key(0).length();
    long budget = budgetMb * 1024L * 1024L;
    int weight = keyBytes + valueBytes + ESTIMATED_OVERHEAD;
    int tenTimesKeys = (int) (10 * budget / weight);
    System.setProperty("java.class.path", classpathWithoutAgent());

    List<String> md = new ArrayList<>();
    try (RedisHandle redis = RedisServers.start()) {
      fill(redis, Math.max(tenTimesKeys, fitKeys), valueBytes);
      Heap plain = run(redis, null, 0, tenTimesKeys, 2, 2);
      Heap cold = run(redis, agent, budgetMb, tenTimesKeys, 2, 1);
      Heap full = run(redis, agent, budgetMb, tenTimesKeys, 2, 2);
      Heap fit = run(redis, agent, Math.max(256, budgetMb), fitKeys, 2, 1);
      // The reads leave nothing of the client's on the heap (the run without the agent retains
      // within the figures' run-to-run noise of about ±1 MB, seen on a loaded machine), so what an
      // agent run retained is the L1's. Subtracting that noise would only add to it.
      long l1Heap = full.retained();
      long coldHeap = cold.retained();
      long fixed = full.before - plain.before;
      // The client retains next to nothing between the two figures (the run without the agent
      // shows it), so what the reads left on the heap under the agent is the L1's.
      double perEntry = (double) fit.retained() / fitKeys;
      double perEntryFull = full.entries > 0 ? (double) l1Heap / full.entries : Double.NaN;
      double measuredOverhead = perEntry - keyBytes - valueBytes;

      md.add("Measured " + Instant.now() + ", " + System.getProperty("java.vm.name") + " "
          + System.getProperty("java.runtime.version") + ", -XX:+UseSerialGC -Xmx512m -XX:SoftRefLRUPolicyMSPerMB=0, heap in use after full GCs;"
          + " keys of " + keyBytes + " bytes, values of " + valueBytes + " bytes, read through Jedis.get.");
      md.add("");
      md.add("| run | keys read (2 passes) | heap before reads | heap after reads | retained by the reads | L1 entries (MBean) | L1 bytes as weighed (MBean) | retained heap per entry |");
      md.add("|---|---:|---:|---:|---:|---:|---:|---:|");
      md.add(plain.row("no agent, each key read twice in a row", tenTimesKeys));
      md.add(cold.row("agent, max-memory " + budgetMb + " MB, working set 10× the budget, each key read once (entries never hit)", tenTimesKeys));
      md.add(full.row("agent, max-memory " + budgetMb + " MB, working set 10× the budget, each key read twice in a row (every entry hit once)", tenTimesKeys));
      md.add(fit.row("agent, max-memory " + Math.max(256, budgetMb) + " MB, all keys fit, each key read once per pass (2nd pass all hits)", fitKeys));
      md.add("");
      md.add(String.format(Locale.ROOT,
          "- L1 heap under a working set 10× the budget, every entry kept hit once (retained by that run; the"
              + " run without the agent retained " + mb(plain.retained()) + "): %s for max-memory %s,"
              + " %.1f%% of it (%s %s).",
          mb(l1Heap), mb(budget), 100.0 * l1Heap / budget, l1Heap <= budget * 1.1 ? "within" : "beyond",
          "max-memory + 10 %"));
      double perEntryCold = cold.entries > 0 ? (double) coldHeap / cold.entries : Double.NaN;
      md.add(String.format(Locale.ROOT,
          "- In that run the L1 held %,d entries, %s as the weigher counts them: %.0f B of heap each, %.0f B"
              + " beyond key and value bytes.",
          full.entries, mb(full.weighed), perEntryFull, perEntryFull - keyBytes - valueBytes));
      md.add(String.format(Locale.ROOT,
          "- With entries never hit after their fill (no decoded value kept): %s of heap for max-memory %s"
              + " (%.1f%%), %,d entries, %.0f B each, %.0f B beyond key and value bytes.",
          mb(coldHeap), mb(budget), 100.0 * coldHeap / budget, cold.entries, perEntryCold,
          perEntryCold - keyBytes - valueBytes));
      md.add(String.format(Locale.ROOT,
          "- Fixed overhead: heap before any read, under the agent minus without it: %s.", mb(fixed)));
      md.add(String.format(Locale.ROOT,
          "- Per entry with everything cached (%,d keys, last pass: %,d GETs reached Redis): %.0f B of heap;"
              + " minus the %d key bytes and %d value bytes the weigher counts, %.0f B of overhead per entry,"
              + " against the weigher's estimate of %d B. Every entry here was hit once after its fill, so it"
              + " also holds the String that hit decoded.",
          fitKeys, fit.lastPassGets, perEntry, keyBytes, valueBytes, measuredOverhead, ESTIMATED_OVERHEAD));
    }
    String text = String.join("\n", md) + "\n";
    System.out.println();
    System.out.println(text);
    Files.createDirectories(Paths.get("target"));
    Files.writeString(Paths.get("target", "memory-results.md"), text);
    System.out.println("written to target/memory-results.md");
  }

  private static String mb(long bytes) {
    return String.format(Locale.ROOT, "%.2f MB", bytes / (1024.0 * 1024.0));
  }

  private static void fill(RedisHandle redis, int count, int valueBytes) {
    String value = "v".repeat(valueBytes);
    try (Jedis jedis = new Jedis(redis.endpoint().host(), redis.endpoint().port())) {
      Pipeline p = jedis.pipelined();
      for (int i = 0; i < count; i++) {
        p.set(key(i), value);
        if (i % 1000 == 999) {
          p.sync();
        }
      }
      for (int i = 0; i < WARM_KEYS; i++) {
        p.set(warmKey(i), value);
      }
      p.sync();
    }
  }

  private static Heap run(RedisHandle redis, Path agent, int budgetMb, int keys, int passes, int readsPerKey)
      throws Exception {
    ForkedJvm.Builder fork = ForkedJvm.builder().mainClass(MemoryWorker.class)
        .jvmArg("-XX:+UseSerialGC").jvmArg("-Xmx512m")
        // soft references (JDK caches) cleared at every GC, so "before" holds none that "after" lost
        .jvmArg("-XX:SoftRefLRUPolicyMSPerMB=0").timeout(Duration.ofMinutes(10))
        .args(redis.endpoint().host(), Integer.toString(redis.endpoint().port()), Integer.toString(keys),
            Integer.toString(passes), Integer.toString(readsPerKey));
    if (agent != null) {
      Path config = Files.writeString(Files.createTempFile("redis-l1-memory", ".yaml"),
          "max-memory: " + budgetMb + "MB\nmetrics:\n  port: 0\nrules:\n  - prefix: \"mem:\"\n    ttl: 1h\n");
      fork.javaagent(agent).systemProperty("redisl1.config", config.toString());
    }
    String what = (agent == null ? "without agent" : "agent, max-memory " + budgetMb + " MB") + ", " + keys
        + " keys x " + passes + " passes x " + readsPerKey + " reads";
    System.out.println("[memory] " + what + " ...");
    ForkedJvm.Result r = fork.run();
    String line = Arrays.stream(r.stdout().split("\r?\n")).filter(l -> l.startsWith("HEAP ")).findFirst()
        .orElseThrow(() -> new IllegalStateException("the memory run (" + what + ") printed no HEAP line: " + r));
    System.out.println("[memory] " + what + ": " + line);
    Map<String, Long> v = new HashMap<>();
    for (String part : line.substring(5).trim().split(" ")) {
      String[] kv = part.split("=");
      v.put(kv[0], Long.parseLong(kv[1]));
    }
    if (v.get("nulls") != 0) {
      throw new IllegalStateException("the memory run (" + what + ") read " + v.get("nulls") + " missing keys");
    }
    return new Heap(v.get("before"), v.get("after"), v.get("lastPassGets"), v.get("entries"), v.get("weighed"));
  }

  private static String classpathWithoutAgent() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> !Paths.get(e).getFileName().toString().startsWith("redis-l1-agent"))
        .collect(Collectors.joining(File.pathSeparator));
  }

  /** Heap figures of one run; entries and weighed (the weigher's bytes) from the agent's MBean, -1 without. */
  record Heap(long before, long after, long lastPassGets, long entries, long weighed) {
    long retained() {
      return after - before;
    }

    String row(String run, int keys) {
      return String.format(Locale.ROOT, "| %s | %,d | %s | %s | %s | %s | %s | %s |", run, keys, mb(before), mb(after),
          mb(retained()), entries < 0 ? "" : String.format(Locale.ROOT, "%,d", entries),
          weighed < 0 ? "" : mb(weighed),
          entries <= 0 ? "" : String.format(Locale.ROOT, "%.0f B", (double) retained() / entries));
    }
  }
}
