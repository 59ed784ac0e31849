package io.redisl1.benchmarks.memory;

import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import io.redisl1.testsupport.RespClient;
import java.util.Locale;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import redis.clients.jedis.Jedis;

/**
 * One forked memory run: reads {@code count} keys through a plain {@code Jedis} in {@code passes}
 * sequential passes, each key {@code readsPerKey} times in a row (2: every entry the L1 keeps has
 * also been hit once) (under the agent, each first read fills the L1; past the budget the L1
 * evicts), and prints the heap in use after a full GC before the first read and after the last.
 *
 * <p>Usage: {@code MemoryWorker <host> <port> <count> <passes> <readsPerKey>}. The keys are {@code mem:key:<i>}.
 * The client is connected and warmed with reads of a key no rule caches before the first heap
 * figure, so both figures hold the same client.
 */
public final class MemoryWorker {
  public static void main(String[] args) throws Exception {
    int count = Integer.parseInt(args[2]);
    int passes = Integer.parseInt(args[3]);
    int readsPerKey = Integer.parseInt(args[4]);
    String[] keys = new String[count];
    for (int i = 0; i < count; i++) {
      keys[i] = MemoryMain.key(i);
    }
    try (Jedis jedis = new Jedis(args[0], Integer.parseInt(args[1]))) {
      for (int i = 0; i < 1_000; i++) {
        jedis.get("uncached:warm"); // no rule names it: the client's own warm-up, nothing cached
      }
      // The agent's fill, hit and decode paths run once before the first figure too, so what they
      // set up lazily (and what their set-up leaves to collect) is not counted as entries. These
      // few cached entries are in both figures (under a tight budget some may be evicted later).
      for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < MemoryMain.WARM_KEYS; i++) {
          jedis.get(MemoryMain.warmKey(i));
        }
      }
      long before = heapAfterGc();
      long lastPassNulls = 0;
      long lastPassGets = 0;
      try (RespClient stats = new RespClient(args[0], Integer.parseInt(args[1]))) {
        for (int pass = 0; pass < passes; pass++) {
          lastPassNulls = 0;
          long getsBefore = stats.commandCalls("get");
          for (String key : keys) {
            for (int r = 0; r < readsPerKey; r++) {
              if (jedis.get(key) == null) {
                lastPassNulls++;
              }
            }
          }
          lastPassGets = stats.commandCalls("get") - getsBefore;
        }
      }
      long after = heapAfterGc();
      // The key array was on the heap for "before"; without this fence the JIT may let it die
      // after the last pass, and "after" would come out lower by the array's size.
      Reference.reachabilityFence(keys);
      System.out.printf(Locale.ROOT, "HEAP before=%d after=%d nulls=%d lastPassGets=%d entries=%d weighed=%d fills=%d%n",
          before, after, lastPassNulls, lastPassGets, l1("Entries"), l1("BytesUsed"), l1("Fills"));
    }
    System.exit(0);
  }

  /** One figure of the agent's {@code io.redisl1:type=L1} MBean; -1 without the agent. */
  static long l1(String attribute) throws Exception {
    ObjectName name = new ObjectName("io.redisl1:type=L1");
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    return server.isRegistered(name) ? ((Number) server.getAttribute(name, attribute)).longValue() : -1;
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
