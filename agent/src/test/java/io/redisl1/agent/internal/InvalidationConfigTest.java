package io.redisl1.agent.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisl1.store.tracking.InvalidationSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code invalidation}, {@code invalidation-required}, {@code canary-interval} and {@code
 * max-staleness} keys.
 */
class InvalidationConfigTest {
  @TempDir Path dir;

  @Test
  void trackingIsTheDefault() throws Exception {
    InvalidationSettings settings = load("rules:\n  - prefix: \"user:\"\n").invalidation();

    assertEquals(InvalidationSettings.Mode.TRACKING, settings.mode());
    assertFalse(settings.required());
    assertEquals(InvalidationSettings.DEFAULT_CANARY_INTERVAL, settings.canaryInterval());
    assertEquals(InvalidationSettings.DEFAULT_CANARY_INTERVAL.multipliedBy(4), settings.maxStaleness());
  }

  @Test
  void maxStalenessShortensACanaryIntervalTooLongToRenewItsLease() throws Exception {
    InvalidationSettings settings = load("canary-interval: 200ms\nmax-staleness: 100ms\n").invalidation();

    assertEquals(Duration.ofMillis(100), settings.maxStaleness());
    assertEquals(Duration.ofMillis(25), settings.canaryInterval());
  }

  @Test
  void aMaxStalenessBelowFortyMillisecondsIsRejected() {
    String message = failure("max-staleness: 20ms\n");
    assertTrue(message.endsWith("line 1 key 'max-staleness': must be from 40ms to 1h or auto, got '20ms'"), message);
  }

  @Test
  void readsEveryInvalidationSetting() throws Exception {
    InvalidationSettings settings =
        load("invalidation: ttl\ninvalidation-required: true\ncanary-interval: 50ms\n").invalidation();

    assertEquals(InvalidationSettings.Mode.TTL, settings.mode());
    assertTrue(settings.required());
    assertEquals(Duration.ofMillis(50), settings.canaryInterval());
  }

  @Test
  void aBadModeSaysWhatWasExpected() {
    String message = failure("invalidation: pubsub\n");
    assertTrue(message.endsWith("line 1 key 'invalidation': expected one of [tracking, ttl], got 'pubsub'"), message);
  }

  @Test
  void aCanaryIntervalBelowTenMillisecondsIsRejected() {
    String message = failure("canary-interval: 5ms\n");
    assertTrue(message.endsWith("line 1 key 'canary-interval': must be from 10ms to 10m, got '5ms'"), message);
  }

  private AgentConfig load(String yaml) throws Exception {
    Path file = dir.resolve("redis-l1.yaml");
    Files.write(file, yaml.getBytes(UTF_8));
    return ConfigLoader.load(file);
  }

  private String failure(String yaml) {
    return assertThrows(ConfigException.class, () -> load(yaml)).getMessage();
  }
}
