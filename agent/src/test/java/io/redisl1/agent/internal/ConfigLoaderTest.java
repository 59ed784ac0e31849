package io.redisl1.agent.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisl1.store.KeyRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  @Test
  void readsEverySetting() throws Exception {
    AgentConfig config =
        load(
            "enabled: true\n"
                + "max-memory: 128MB\n"
                + "max-value-size: 64KB\n"
                + "default-ttl: 500ms\n"
                + "ttl-margin: 20ms\n"
                + "rules:\n"
                + "  - prefix: \"user:\"\n"
                + "    ttl: 6h\n"
                + "  - prefix: \"session:\"\n"
                + "    cache: false\n"
                + "  - prefix: \"flag:\"\n"
                + "    cache-nil: true\n");

    assertTrue(config.enabled());
    assertEquals(128L << 20, config.maxMemoryBytes());
    assertEquals(64 << 10, config.maxValueBytes());
    assertEquals(Duration.ofMillis(20), config.ttlMargin());
    KeyRule user = config.rules().cachingRule(bytes("user:1"));
    assertEquals(Duration.ofHours(6).toNanos(), user.ttlNanos());
    assertNull(config.rules().cachingRule(bytes("session:1")));
    KeyRule flag = config.rules().cachingRule(bytes("flag:1"));
    assertEquals(Duration.ofMillis(500).toNanos(), flag.ttlNanos(), "default-ttl applies");
    assertTrue(flag.cacheNil());
  }

  @Test
  void defaultsApplyWhenOnlyRulesAreGiven() throws Exception {
    AgentConfig config = load("rules:\n  - prefix: \"\"\n");

    assertTrue(config.enabled());
    assertEquals(AgentConfig.DEFAULT_MAX_MEMORY, config.maxMemoryBytes());
    assertEquals(AgentConfig.DEFAULT_TTL.toNanos(), config.rules().cachingRule(bytes("any")).ttlNanos());
    assertEquals(Duration.ofMillis(50), config.ttlMargin());
  }

  @Test
  void aZeroTtlMarginIsAllowedAndABadOneNamed() throws Exception {
    assertEquals(Duration.ZERO, load("ttl-margin: 0ms\nrules: []\n").ttlMargin());
    String message = failure("ttl-margin: soon\n");
    assertTrue(message.contains("line 1 key 'ttl-margin': expected a positive duration like 500ms"), message);
  }

  @Test
  void noRulesCachesNothing() throws Exception {
    assertFalse(load("max-memory: 1MB\n").rules().cachesAnything());
  }

  @Test
  void anUnknownKeyIsNamedWithItsLine() {
    String message = failure("rules:\n  - prefix: \"user:\"\n    tll: 60s\n");
    assertTrue(message.endsWith("line 3 key 'tll': unknown key; expected one of [cache, cache-nil, prefix, ttl]"), message);
  }

  @Test
  void aBadSizeSaysWhatWasExpected() {
    String message = failure("max-memory: lots\n");
    assertTrue(message.contains("line 1 key 'max-memory': expected a positive size like 64MB"), message);
    assertTrue(message.contains("got 'lots'"), message);
  }

  @Test
  void aBadBooleanIsRejectedRatherThanGuessed() {
    assertTrue(failure("enabled: yes please\n").contains("key 'enabled': expected true or false"));
  }

  @Test
  void aRuleWithoutPrefixIsRejected() {
    assertTrue(failure("rules:\n  - ttl: 5s\n").contains("line 2 key 'prefix': every rule needs a prefix"));
  }

  @Test
  void aPrefixWithTwoRulesIsRejected() {
    String message = failure("rules:\n  - prefix: a\n  - prefix: a\n    cache: false\n");
    assertTrue(message.contains("line 3 key 'prefix': 'a' has more than one rule"), message);
  }

  @Test
  void duplicateKeysAreRejected() {
    String message = failure("max-memory: 1MB\nmax-memory: 2MB\n");
    assertTrue(message.contains("line 2 key 'max-memory': given twice"), message);
  }

  @Test
  void brokenYamlNamesItsLine() {
    String message = failure("rules:\n  - prefix: \"user:\n");
    assertTrue(message.matches(".*config .*agent\\.yaml line \\d+: not valid YAML.*"), message);
  }

  @Test
  void aMissingFileIsNamed() {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir.resolve("absent.yaml")));
    assertTrue(e.getMessage().contains("absent.yaml") && e.getMessage().contains("cannot be read"), e.getMessage());
  }

  @Test
  void sizesAndDurationsParse() {
    assertEquals(512, Sizes.parse("512"));
    assertEquals(64L << 20, Sizes.parse("64MB"));
    assertEquals(1L << 30, Sizes.parse("1gb"));
    assertEquals(-1, Sizes.parse("64 parsecs"));
    assertEquals(-1, Sizes.parse("99999999999999999999GB"));
    assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
    assertEquals(Duration.ofSeconds(30), Durations.parse("30s"));
    assertEquals(Duration.ofHours(6), Durations.parse("6h"));
    assertNull(Durations.parse("6"));
  }

  @Test
  void theSystemPropertyNamesTheFileBeforeTheEnvironment() {
    Properties props = new Properties();
    props.setProperty("redisl1.config", "/from/property.yaml");
    Map<String, String> env = Map.of("REDISL1_CONFIG", "/from/env.yaml");

    assertEquals(Path.of("/from/property.yaml"), new ConfigResolver(props, env).file());
    assertEquals(Path.of("/from/env.yaml"), new ConfigResolver(new Properties(), env).file());
    assertNull(new ConfigResolver(new Properties(), Map.of()).file());
  }

  @Test
  void metricsSettingsComeFromTheFileAndSystemPropertiesWin() throws Exception {
    Properties props = new Properties();
    props.setProperty("redisl1.metrics.port", "9200");

    io.redisl1.metrics.MetricsSettings metrics =
        resolve(props, "rules:\n  - prefix: \"\"\nmetrics:\n  port: 9100\n  host: 127.0.0.1\n  global-registry: true\n")
            .metrics();

    assertEquals(9200, metrics.port());
    assertEquals("127.0.0.1", metrics.host());
    assertTrue(metrics.globalRegistry());
    assertTrue(metrics.enabled());
  }

  @Test
  void metricsDefaults() throws Exception {
    io.redisl1.metrics.MetricsSettings metrics = resolve(new Properties(), "rules:\n  - prefix: \"\"\n").metrics();

    assertTrue(metrics.enabled());
    assertEquals(9477, metrics.port());
    assertEquals("0.0.0.0", metrics.host());
    assertFalse(metrics.globalRegistry());
  }

  @Test
  void aBadMetricsValueNamesItsLineOrProperty() throws Exception {
    String fromFile = failure("rules:\n  - prefix: \"\"\nmetrics:\n  port: lots\n");
    assertTrue(fromFile.contains("line 4 key 'metrics.port': expected a port from 0 (any free port) to 65535, got 'lots'"), fromFile);
    assertTrue(failure("metrics:\n  prot: 1\n").contains("'metrics.prot': unknown key"), failure("metrics:\n  prot: 1\n"));

    Properties props = new Properties();
    props.setProperty("redisl1.metrics.enabled", "yes");
    String fromProperty =
        assertThrows(ConfigException.class, () -> resolve(props, "rules: []\n")).getMessage();
    assertTrue(fromProperty.contains("redisl1.metrics.enabled"), fromProperty);
    assertTrue(fromProperty.contains("expected true or false, got 'yes'"), fromProperty);
  }

  private AgentConfig resolve(Properties props, String yaml) throws Exception {
    Path file = write(yaml);
    return new ConfigResolver(props, Map.of()).resolve(bytes(yaml), file);
  }

  private AgentConfig load(String yaml) throws Exception {
    return ConfigLoader.load(write(yaml));
  }

  private String failure(String yaml) {
    return assertThrows(ConfigException.class, () -> ConfigLoader.load(write(yaml))).getMessage();
  }

  private Path write(String yaml) throws IOException {
    return Files.writeString(dir.resolve("agent.yaml"), yaml, UTF_8);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }
}
