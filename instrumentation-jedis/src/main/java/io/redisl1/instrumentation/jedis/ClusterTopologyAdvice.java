package io.redisl1.instrumentation.jedis;

import net.bytebuddy.asm.Advice;

/** Around Jedis's cluster provider and slot cache: connections made inside belong to a cluster. */
final class ClusterTopologyAdvice {
  private ClusterTopologyAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter() {
    JedisClusterMarker.enter();
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit() {
    JedisClusterMarker.exit();
  }
}
