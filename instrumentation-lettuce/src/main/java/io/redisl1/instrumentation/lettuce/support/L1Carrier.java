package io.redisl1.instrumentation.lettuce.support;

/**
 * Added by the agent to {@code StatefulRedisConnectionImpl}, so that advice inlined into other
 * Lettuce classes (its endpoint, {@code RedisChannelHandler}) can reach the connection's L1 state.
 */
public interface L1Carrier {
  LettuceConnectionL1 redisl1$l1();

  void redisl1$l1(LettuceConnectionL1 state);
}
