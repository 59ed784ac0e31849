package io.redisl1.benchmarks;

import io.redisl1.testsupport.RedisHandle;
import io.redisl1.testsupport.RedisServers;
import io.redisl1.testsupport.RespClient;

/** A real Redis on loopback for one forked benchmark JVM, with the benchmark's key in it. */
final class RedisForBenchmark implements AutoCloseable {
  static final String KEY = "bench:user:1";
  /** 100 bytes, the value size issue 11 compares every entry point and alternative at. */
  static final String VALUE =
      "{\"id\":1,\"name\":\"Ada Lovelace\",\"plan\":\"pro\",\"email\":\"ada@example.org\",\"since\":\"1843-07-10\",\"tags\":\"\"}";
  /** Cached by the rule, but expiring in Redis well within the benchmark's ttl-margin: never cached. */
  static final String MISS_KEY = "bench:miss:1";

  final RedisHandle handle;
  final RespClient observer;

  RedisForBenchmark() {
    handle = RedisServers.start();
    observer = handle.endpoint().connect();
    observer.call("SET", KEY, VALUE);
    observer.call("SET", MISS_KEY, VALUE, "PX", "3600000");
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
