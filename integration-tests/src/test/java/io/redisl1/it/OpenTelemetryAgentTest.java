package io.redisl1.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisl1.it.AgentRun.Outcome;
import io.redisl1.testsupport.RedisEndpoint;
import io.redisl1.testsupport.RedisServerExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The OpenTelemetry Java agent rewrites the same Jedis and Lettuce classes and runs beside this
 * one in many deployments. Whichever premain runs first, both clients must still be cached and
 * transparent.
 */
@ExtendWith(RedisServerExtension.class)
class OpenTelemetryAgentTest {
  private static final Path OTEL = AgentRun.CLIENTS.resolve("opentelemetry-javaagent-2.33.1.jar");
  private static final String[] QUIET_OTEL = {
    "otel.traces.exporter=none", "otel.metrics.exporter=none", "otel.logs.exporter=none"
  };

  private final RedisEndpoint redis;

  OpenTelemetryAgentTest(RedisEndpoint redis) {
    this.redis = redis;
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void jedisIsCachedBesideTheOpenTelemetryAgent(boolean otelFirst) {
    Outcome o =
        AgentRun.withConfig(AgentRun.CONFIG)
            .otherAgent(OTEL, otelFirst, QUIET_OTEL)
            .run(JedisProgram.class, "hits", redis);

    assertEquals(0, o.result.exitCode(), o::toString);
    assertEquals("alice", o.get("pooled.rest"));
    assertEquals(1, o.number("gets@pooledHits"), o::toString);
    assertEquals(1, o.number("gets@jedisHits"), o::toString);
  }

  // The OpenTelemetry agent takes seconds to start: the write paths run in one order only.
  @ParameterizedTest
  @ValueSource(booleans = {true})
  void jedisWritesAreReadBackBesideTheOpenTelemetryAgent(boolean otelFirst) {
    Outcome o =
        AgentRun.withConfig(AgentRun.CONFIG)
            .otherAgent(OTEL, otelFirst, QUIET_OTEL)
            .run(JedisProgram.class, "writes", redis);

    assertEquals("none", o.get("stale"), o::toString);
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void lettuceIsCachedBesideTheOpenTelemetryAgent(boolean otelFirst) {
    Outcome o =
        AgentRun.withConfig(AgentRun.CONFIG)
            .otherAgent(OTEL, otelFirst, QUIET_OTEL)
            .run(LettuceProgram.class, "hits", redis);

    assertEquals(0, o.result.exitCode(), o::toString);
    assertEquals(1, o.number("gets@sync"), o::toString);
    assertEquals(1, o.number("gets@async"), o::toString);
    assertEquals("true", o.get("reactive.sameThread"));
    assertEquals(1, o.number("gets@reactive"), o::toString);
    assertTrue(o.agentLines().stream().noneMatch(l -> l.contains("ERROR")), o::toString);
  }

  @ParameterizedTest
  @ValueSource(booleans = {true})
  void lettuceWritesAndTransactionsStayFreshBesideTheOpenTelemetryAgent(boolean otelFirst) {
    Outcome writes =
        AgentRun.withConfig(AgentRun.CONFIG)
            .otherAgent(OTEL, otelFirst, QUIET_OTEL)
            .run(LettuceProgram.class, "writes", redis);
    Outcome tx =
        AgentRun.withConfig(AgentRun.CONFIG)
            .otherAgent(OTEL, otelFirst, QUIET_OTEL)
            .run(LettuceProgram.class, "transactions", redis);

    assertEquals("none", writes.get("stale"), writes::toString);
    assertEquals("in-multi", tx.get("afterTx"), tx::toString);
    assertEquals("batched", tx.get("afterBatch"), tx::toString);
  }
}
