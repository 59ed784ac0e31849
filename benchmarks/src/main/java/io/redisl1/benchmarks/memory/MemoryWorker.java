package io.redisl1.benchmarks.memory;

import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.util.Locale;
import redis.clients.jedis.Jedis;

/**
 * One forked memory run: reads {@code count} keys through a plain {@code Jedis} in {@code passes}
 * sequential passes (under the agent, each first read fills the L1; past the budget the L1
 * evicts), and prints the heap in use after a full GC before the first read and after the last.
 *
 * <p>Usage: {@code MemoryWorker <host> <port> <count> <passes>}. The keys are {@code mem:key:<i>}.
 * The client is connected and warmed with reads of a key no rule caches before the first heap
 * figure, so both figures hold the same client.
 */
public final class MemoryWorker {
  public static void main(String[] args) throws Exception {
    int count = Integer.parseInt(args[2]);
    int passes = Integer.parseInt(args[3]);
    String[] keys = new String[count];
    for (int i = 0; i < count; i++) {
      keys[i] = MemoryMain.key(i);
    }
    try (Jedis jedis = new Jedis(args[0], Integer.parseInt(args[1]))) {
      for (int i = 0; i < 1_000; i++) {
        jedis.get("uncached:warm"); // no rule names it: the client's own warm-up, nothing cached
      }
      long before = heapAfterGc();
      long lastPassNulls = 0;
      for (int pass = 0; pass < passes; pass++) {
        lastPassNulls = 0;
        for (String key : keys) {
          if (jedis.get(key) == null) {
            lastPassNulls++;
          }
        }
      }
      long after = heapAfterGc();
      // The key array was on the heap for "before"; without this fence the JIT may let it die
      // after the last pass, and "after" would come out lower by the array's size.
      Reference.reachabilityFence(keys);
      System.out.printf(Locale.ROOT, "HEAP before=%d after=%d nulls=%d%n", before, after, lastPassNulls);
    }
    System.exit(0);
  }

  /** Heap in use after full collections, once it stops shrinking. */
  static long heapAfterGc() throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 10; i++) {
      System.gc();
      Thread.sleep(100);
      long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      if (now >= used) {
        return now;
      }
      used = now;
    }
    return used;
  }
}
