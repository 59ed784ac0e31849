package io.redisl1.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisl1.it.AgentRun.Outcome;
import io.redisl1.testsupport.RedisHandle;
import io.redisl1.testsupport.RedisServers;
import io.redisl1.testsupport.RespClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Redis Cluster is not supported yet, so a JedisCluster must run uncached, while a standalone
 * connection to the same node still caches and still sees the cluster client's writes.
 */
class JedisClusterTest {
  private static RedisHandle redis;

  @BeforeAll
  static void startOneNodeCluster() throws InterruptedException {
    redis = RedisServers.startEmbedded("--cluster-enabled", "yes");
    try (RespClient node = redis.endpoint().connect()) {
      List<String> addSlots = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
      for (int slot = 0; slot < 16384; slot++) {
        addSlots.add(Integer.toString(slot));
      }
      node.call(addSlots.toArray(new String[0]));
      for (int i = 0; i < 100 && !String.valueOf(node.call("CLUSTER", "INFO")).contains("cluster_state:ok"); i++) {
        Thread.sleep(50);
      }
      assertTrue(String.valueOf(node.call("CLUSTER", "INFO")).contains("cluster_state:ok"));
    }
  }

  @AfterAll
  static void stop() {
    redis.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"4.4.8", "5.2.0", "8.0.2"})
  void clusterConnectionsRunUncached(String jedis) {
    Outcome o = AgentRun.withConfig(AgentRun.CONFIG).jedis(jedis).run(JedisProgram.class, "cluster", redis.endpoint());

    assertEquals(0, o.result.exitCode(), o::toString);
    assertEquals("v1", o.get("cluster"));
    assertEquals(10, o.number("gets@cluster"), "every cluster GET goes to Redis; " + o);
    assertEquals("v1", o.get("standalone"));
    assertEquals(11, o.number("gets@standalone"), "the standalone connection caches; " + o);
    assertEquals("v2", o.get("standaloneAfterClusterWrite"), o::toString);
  }
}
