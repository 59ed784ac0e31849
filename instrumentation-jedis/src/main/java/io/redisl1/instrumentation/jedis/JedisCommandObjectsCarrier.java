package io.redisl1.instrumentation.jedis;

/**
 * Implemented by Jedis's {@code CommandObjects} under the agent: its key argument pre-processor
 * (Jedis 5+; null when none is set, and always on Jedis 4, which has none). A GET answered before
 * its command is built must be sure the key it looks up is the key the command would send.
 */
public interface JedisCommandObjectsCarrier {
  Object redisl1$keyPreProcessor();
}
