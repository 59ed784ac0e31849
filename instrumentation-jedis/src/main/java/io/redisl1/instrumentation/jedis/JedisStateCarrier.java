package io.redisl1.instrumentation.jedis;

/** Implemented by Jedis's {@code Connection} under the agent: its L1 state, for other advice. */
public interface JedisStateCarrier {
  JedisConnectionState redisl1$state();
}
