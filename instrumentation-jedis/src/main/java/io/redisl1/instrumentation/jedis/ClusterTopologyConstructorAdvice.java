package io.redisl1.instrumentation.jedis;

import net.bytebuddy.asm.Advice;

/**
 * {@link ClusterTopologyAdvice} for constructors, where advice cannot catch what the constructor
 * throws. A constructor that throws leaves the thread marked, which only keeps more connections off
 * the L1: the safe direction.
 */
final class ClusterTopologyConstructorAdvice {
  private ClusterTopologyConstructorAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter() {
    JedisClusterMarker.enter();
  }

  @Advice.OnMethodExit(suppress = Throwable.class)
  static void exit() {
    JedisClusterMarker.exit();
  }
}
