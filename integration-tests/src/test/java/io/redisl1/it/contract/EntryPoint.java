package io.redisl1.it.contract;

import io.redisl1.testsupport.RedisEndpoint;

/** Opens {@link Client}s of one client entry point, configured for a {@link Scope}. */
public interface EntryPoint {
  Client open(RedisEndpoint redis, Scope scope);
}
