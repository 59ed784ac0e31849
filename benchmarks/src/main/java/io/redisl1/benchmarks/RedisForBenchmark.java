package io.redisl1.benchmarks;

import io.redisl1.testsupport.RedisHandle;
import io.redisl1.testsupport.RedisServers;
import io.redisl1.testsupport.RespClient;

/** A real Redis on loopback for one forked benchmark JVM, with the benchmark's key in it. */
final class RedisForBenchmark implements AutoCloseable {
  static final String KEY = "bench:user:1";
  /** 100 bytes, the value size the published targets are stated for. */
  static final String VALUE =
      "{\"id\":1,\"name\":\"Ada Lovelace\",\"plan\":\"pro\",\"email\":\"ada@example.com\",\"city\":\"London\",\"since\":\"1843\"}";
  /** Cached by the rule, but expiring in Redis well within the benchmark's ttl-margin: never cached. */
  static final String MISS_KEY = "bench:miss:1";
  /** Outside every rule's prefix: never cached, never probed. */
  static final String UNCACHED_KEY = "nocache:1";

  final RedisHandle handle;
  final RespClient observer;

  RedisForBenchmark() {
    handle = RedisServers.start();
    observer = handle.endpoint().connect();
    observer.call("SET", KEY, VALUE);
    observer.call("SET", MISS_KEY, VALUE, "PX", "300000"); // within BenchmarkMain's ttl-margin
    observer.call("SET", UNCACHED_KEY, VALUE);
    observer.resetStats();
  }

  String host() {
    return handle.endpoint().host();
  }

  int port() {
    return handle.endpoint().port();
  }

  /** GETs that reached the server since start-up: proves which calls were L1 hits. */
  long serverGets() {
    return observer.commandCalls("get");
  }

  @Override
  public void close() {
    observer.close();
    handle.close();
  }
}
