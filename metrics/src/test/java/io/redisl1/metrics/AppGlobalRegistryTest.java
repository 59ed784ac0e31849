package io.redisl1.metrics;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.redisl1.store.KeyRule;
import io.redisl1.store.KeyRules;
import io.redisl1.store.L1Runtime;
import io.redisl1.store.L1Settings;
import io.redisl1.store.L1Store;
import io.redisl1.store.Scope;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The application's global registry, which in this module's tests is the unrelocated Micrometer
 * on the class path, as an application's would be: the rules' meters follow reloads there too.
 */
class AppGlobalRegistryTest {
  private final KeyRule users = KeyRule.cached("user:", Duration.ofMinutes(1), false);
  private final KeyRule flags = KeyRule.cached("flag:", Duration.ofMinutes(1), false);
  private final L1Store store = L1Store.create(L1Settings.of(1 << 20, 64));
  private final L1Runtime runtime = L1Runtime.start(store, KeyRules.of(List.of(users, flags)));
  private final SimpleMeterRegistry app = new SimpleMeterRegistry();

  @AfterEach
  void leaveTheGlobalRegistry() {
    Metrics.removeRegistry(app);
    Metrics.globalRegistry.clear();
  }

  @Test
  void rulesAddedByAReloadAppearAndRulesGoneGoAway() throws Exception {
    Metrics.addRegistry(app);
    RuleMeterSet rules = AppGlobalRegistry.find(runtime);
    assertNotNull(rules);
    Scope scope = store.scope("127.0.0.1:6379", 0, "default");
    store.fill(scope, bytes("user:1"), store.beginRead(), bytes("alice"), Duration.ofMinutes(1).toNanos());
    store.get(scope, bytes("user:1"));
    assertEquals(1, hits("user:").count());
    assertNotNull(hits("flag:"));
    assertEquals(1L << 20, (long) app.find("redisl1.memory.budget").gauge().value());

    KeyRule orders = KeyRule.cached("order:", Duration.ofMinutes(1), false);
    L1Runtime.reconfigure(KeyRules.of(List.of(users, orders)), false);
    rules.refresh();

    assertNull(hits("flag:"), "a rule no longer in force has no meters in the application's registry");
    assertNotNull(hits("order:"), "a rule added by a reload is metered in the application's registry");
    store.get(scope, bytes("user:1"));
    assertEquals(2, hits("user:").count(), "a rule kept by the reload keeps its meters and counts");
  }

  private FunctionCounter hits(String prefix) {
    return app.find("cache.gets").tags("cache", prefix, "cache.manager", "redisl1", "result", "hit").functionCounter();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }
}
