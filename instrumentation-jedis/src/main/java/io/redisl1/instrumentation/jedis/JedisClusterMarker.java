package io.redisl1.instrumentation.jedis;

/**
 * Tells whether the current thread is inside Jedis's cluster topology code, where the connections
 * of a {@code JedisCluster} are made. Those connections never use the L1: a key's slot can move to
 * another node and back while writes to it bypass this node's keyspace, so an entry filled here
 * could be stale when the slot returns. Cluster support comes with its own issue.
 */
public final class JedisClusterMarker {
  private static final ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);

  private JedisClusterMarker() {}

  public static void enter() {
    depth.get()[0]++;
  }

  public static void exit() {
    depth.get()[0]--;
  }

  public static boolean active() {
    return depth.get()[0] > 0;
  }
}
