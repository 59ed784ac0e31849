package io.redisl1.it.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisl1.testsupport.ForkedJvm;
import io.redisl1.testsupport.RedisEndpoint;
import io.redisl1.testsupport.RedisServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * EVAL and EVALSHA writing one declared key while two keys are cached, against a real Redis: the
 * written key is read back new either way; with {@code scripts: declared-keys} the other key stays
 * cached, by default it is flushed with everything else.
 */
@ExtendWith(RedisServerExtension.class)
class ScriptsOptionTest {
  private final RedisEndpoint redis;
  @TempDir Path dir;

  ScriptsOptionTest(RedisEndpoint redis) {
    this.redis = redis;
  }

  @Test
  void byDefaultAScriptEmptiesTheL1() throws Exception {
    Path file = Files.writeString(
        dir.resolve("redis-l1.yaml"),
        // The GET counts are about scripts: a tracking channel's late echo of the app's own write
        // could drop a fresh fill and add a GET.
        "invalidation: ttl\nrules:\n  - prefix: \"user:\"\n    ttl: 60s\n");
    ForkedJvm.Result result = run(ConfigRun.jvm().systemProperty("redisl1.config", file.toString()));

    assertValuesAreNew(result);
    assertEquals(2, ConfigRun.number(result, "gets@afterEval"), "both keys refetched: " + result);
    assertEquals(2, ConfigRun.number(result, "gets@afterEvalsha"), result::toString);
  }

  @Test
  void declaredKeysInvalidatesOnlyTheKeysTheScriptDeclares() {
    // Settings from the environment alone, no file: the one-line rules form, end to end.
    ForkedJvm.Result result =
        run(ConfigRun.jvm().env("REDISL1_RULES", "user:=60s").env("REDISL1_SCRIPTS", "declared-keys")
            .env("REDISL1_DEBUG", "true").env("REDISL1_INVALIDATION", "ttl"));

    assertValuesAreNew(result);
    assertEquals(1, ConfigRun.number(result, "gets@afterEval"), "only the declared key refetched: " + result);
    assertEquals(1, ConfigRun.number(result, "gets@afterEvalsha"), result::toString);
    assertTrue(ConfigRun.agentLines(result).get(0).contains("caching prefixes ['user:' ttl=PT1M]")
        && ConfigRun.agentLines(result).get(0).contains("scripts invalidate their declared keys"), result::toString);
    assertTrue(ConfigRun.agentLines(result).contains("[redis-l1] instrumented redis.clients.jedis.Connection"),
        "REDISL1_DEBUG=true: " + result);
  }

  private ForkedJvm.Result run(ForkedJvm.Builder jvm) {
    ForkedJvm.Result result = ConfigRun.args(jvm, "scripts", redis).run();
    assertEquals(0, result.exitCode(), result::toString);
    return result;
  }

  private static void assertValuesAreNew(ForkedJvm.Result result) {
    assertEquals("by-eval", ConfigRun.values(result).get("afterEval.user:1"), result::toString);
    assertEquals("other", ConfigRun.values(result).get("afterEval.user:2"), result::toString);
    assertEquals("by-evalsha", ConfigRun.values(result).get("afterEvalsha.user:2"), result::toString);
    assertEquals("by-eval", ConfigRun.values(result).get("afterEvalsha.user:1"), result::toString);
  }
}
