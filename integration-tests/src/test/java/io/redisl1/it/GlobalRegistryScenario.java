package io.redisl1.it;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.redisl1.testsupport.RespClient;
import redis.clients.jedis.Jedis;

/**
 * An application with its own Micrometer, as Spring Boot sets it up (a registry added to {@code
 * Metrics.globalRegistry}), run under the agent with {@code metrics.global-registry: true} by
 * {@link MetricsEndpointTest}: prints what its own registry says about the L1.
 */
public final class GlobalRegistryScenario {
  public static void main(String[] args) throws Exception {
    Metrics.addRegistry(new SimpleMeterRegistry());
    String host = args[1];
    int port = Integer.parseInt(args[2]);
    try (RespClient server = new RespClient(host, port); Jedis jedis = new Jedis(host, port)) {
      server.flushAll();
      server.call("SET", "user:1", "alice");
      jedis.ping();
      for (int i = 0; i < 4; i++) {
        jedis.get("user:1");
      }
    }
    FunctionCounter hits = null;
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (hits == null && System.nanoTime() < deadline) {
      hits = Metrics.globalRegistry.find("cache.gets").tags("cache", "user:", "result", "hit").functionCounter();
      Thread.sleep(100);
    }
    System.out.println("app.hits=" + (hits == null ? "absent" : (long) hits.count()));
    FunctionCounter misses = Metrics.globalRegistry.find("cache.gets").tags("cache", "user:", "result", "miss").functionCounter();
    System.out.println("app.misses=" + (misses == null ? "absent" : (long) misses.count()));
    Gauge budget = Metrics.globalRegistry.find("redisl1.memory.budget").gauge();
    System.out.println("app.budget=" + (budget == null ? "absent" : (long) budget.value()));
  }
}
