package io.redisl1.instrumentation.jedis;

import io.redisl1.store.session.PoolScope;

/**
 * Implemented by Jedis's {@code PooledConnectionProvider} under the agent: the scope its
 * connections share, or null for a provider the agent does not answer for (a subclass).
 */
public interface JedisPoolCarrier {
  PoolScope redisl1$pool();
}
