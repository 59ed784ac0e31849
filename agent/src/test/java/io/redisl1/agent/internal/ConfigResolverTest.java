package io.redisl1.agent.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisl1.store.KeyRule;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Sources and their precedence: system property > environment > file > default, one name each. */
class ConfigResolverTest {
  private static final Path FILE = Path.of("/etc/redis-l1/redis-l1.yaml");

  private final Properties props = new Properties();
  private final Map<String, String> env = new HashMap<>();

  @Test
  void everySettingHasOneNameInEverySource() {
    for (Setting<?> setting : Settings.ALL) {
      assertEquals("redisl1." + setting.name, setting.property());
      assertEquals(
          "REDISL1_" + setting.name.toUpperCase().replace('-', '_').replace('.', '_'), setting.envVar());
    }
    assertEquals("REDISL1_MAX_VALUE_SIZE", Settings.MAX_VALUE_SIZE.envVar());
    assertEquals("REDISL1_METRICS_GLOBAL_REGISTRY", Setting.envVar("metrics.global-registry"));
  }

  @Test
  void propertyBeatsEnvironmentBeatsFileBeatsDefault() throws Exception {
    String file = "max-memory: 8MB\nmax-value-size: 8KB\ndefault-ttl: 10s\n";
    env.put("REDISL1_MAX_MEMORY", "16MB");
    env.put("REDISL1_MAX_VALUE_SIZE", "16KB");
    props.setProperty("redisl1.max-memory", "32MB");

    AgentConfig config = resolve(file);

    assertEquals(32L << 20, config.maxMemoryBytes(), "property over environment and file");
    assertEquals(16 << 10, config.maxValueBytes(), "environment over file");
    assertEquals(Duration.ofSeconds(10), config.defaultTtl(), "file over default");
    assertEquals("cache", config.get(Settings.MODE), "default where nobody says");
    assertEquals(Duration.ofSeconds(5), config.get(Settings.RELOAD_INTERVAL));
    assertEquals(Duration.ZERO, config.get(Settings.REPORT_INTERVAL), "report is off by default");
  }

  @Test
  void rulesFromTheEnvironmentReplaceTheFilesRulesWhole() throws Exception {
    String file = "default-ttl: 10s\nrules:\n  - prefix: \"user:\"\n    ttl: 1h\n  - prefix: \"cart:\"\n";
    env.put("REDISL1_RULES", "user:=60s,flag:=6h+nil,session:=off,any:=on");

    AgentConfig config = resolve(file);

    assertEquals(Duration.ofSeconds(60).toNanos(), rule(config, "user:1").ttlNanos());
    assertTrue(rule(config, "flag:x").cacheNil());
    assertEquals(Duration.ofHours(6).toNanos(), rule(config, "flag:x").ttlNanos());
    assertNull(rule(config, "session:1"));
    assertEquals(Duration.ofSeconds(10).toNanos(), rule(config, "any:1").ttlNanos(), "on: the file's default-ttl");
    assertNull(rule(config, "cart:1"), "the file's rules are replaced, not merged");
  }

  @Test
  void rulesAsASystemPropertyBeatTheEnvironment() throws Exception {
    env.put("REDISL1_RULES", "user:=60s");
    props.setProperty("redisl1.rules", "flag:=5m");

    AgentConfig config = resolve(null);

    assertNull(rule(config, "user:1"));
    assertEquals(Duration.ofMinutes(5).toNanos(), rule(config, "flag:1").ttlNanos());
  }

  @Test
  void anEmptyRulesVariableTurnsTheFilesRulesOff() throws Exception {
    env.put("REDISL1_RULES", "");
    assertFalse(resolve("rules:\n  - prefix: \"user:\"\n").cachesAnything());
  }

  @Test
  void nestedYamlMappingsAndTheOneLineRulesFormWorkInTheFileToo() throws Exception {
    AgentConfig config = resolve("rules: \"user:=2s\"\nmetrics:\n  port: 9464\n");
    assertEquals(Duration.ofSeconds(2).toNanos(), rule(config, "user:1").ttlNanos());
  }

  @Test
  void anUnknownEnvironmentVariableIsNamed() {
    env.put("REDISL1_MAX_MEMROY", "1MB");
    String message = failure(null);
    assertTrue(message.startsWith("config environment variable REDISL1_MAX_MEMROY: not a redis-l1 setting; expected one of ["), message);
    assertTrue(message.contains("REDISL1_MAX_MEMORY"), message);
  }

  @Test
  void anUnknownSystemPropertyIsNamed() {
    props.setProperty("redisl1.defualt-ttl", "1s");
    assertTrue(failure(null).startsWith("config system property redisl1.defualt-ttl: not a redis-l1 setting"));
  }

  @Test
  void theMetricsSettingsAreLeftToTheMetricsCode() throws Exception {
    props.setProperty("redisl1.metrics.port", "9464");
    env.put("REDISL1_METRICS_ENABLED", "true");
    resolve(null);
  }

  @Test
  void aWrongUnitNamesItsSource() {
    env.put("REDISL1_DEFAULT_TTL", "30 seconds");
    assertEquals(
        "config environment variable REDISL1_DEFAULT_TTL: expected a positive duration like 500ms, 30s, 5m or 6h, got '30 seconds'",
        failure(null));
    env.clear();
    props.setProperty("redisl1.max-memory", "64 MB please");
    assertTrue(failure(null).startsWith("config system property redisl1.max-memory: expected a positive size like 64MB"));
  }

  @Test
  void negativeZeroAndAbsurdSizesAreRefused() {
    assertTrue(failure("max-memory: -5MB\n").contains("line 1 key 'max-memory': expected a positive size"));
    assertTrue(failure("max-memory: 0\n").contains("expected a positive size"));
    assertTrue(failure("max-memory: 2048GB\n").contains("must be at most 1024GB"));
    assertTrue(failure("max-value-size: 4GB\n").contains("key 'max-value-size': must be at most"));
    assertTrue(failure("max-memory: 1MB\nmax-value-size: 2MB\n").contains("key 'max-value-size': max-value-size 2MB exceeds max-memory 1MB"));
    long heap = Runtime.getRuntime().maxMemory();
    String more = Sizes.format(((heap >> 30) + 2) << 30);
    props.setProperty("redisl1.max-memory", more);
    assertTrue(failure(null).contains("system property redisl1.max-memory key 'max-memory': " + more + " is more than the JVM's whole heap"));
  }

  @Test
  void absurdDurationsAreRefused() {
    assertTrue(failure("default-ttl: 0s\n").contains("must be from 1ms to 365d"));
    assertTrue(failure("rules:\n  - prefix: a\n    ttl: 400d\n").contains("line 3 key 'ttl': must be from 1ms to 365d"));
    assertTrue(failure("reload-interval: 1ms\n").contains("key 'reload-interval': must be from 50ms to 1h or off"));
    assertTrue(failure("default-ttl: 99999999999999999999s\n").contains("expected a positive duration"));
  }

  @Test
  void badOneLineRulesSayWhichItem() {
    env.put("REDISL1_RULES", "user:=60s, flag:6h");
    assertEquals(
        "config environment variable REDISL1_RULES: rule 2 'flag:6h': expected prefix=ttl, prefix=on or prefix=off, as in user:=60s,session:=off",
        failure(null));
    env.put("REDISL1_RULES", "user:=60s,user:=off");
    assertTrue(failure(null).contains("rule 2 'user:=off': prefix 'user:' has more than one rule"));
    env.put("REDISL1_RULES", "user:=soon");
    assertTrue(failure(null).contains("rule 1 'user:=soon': expected a positive duration like 500ms"));
  }

  @Test
  void overlappingPrefixesAreLongestMatchNotAnError() throws Exception {
    env.put("REDISL1_RULES", "user:=60s,user:session:=off");
    AgentConfig config = resolve(null);
    assertTrue(rule(config, "user:1") != null);
    assertNull(rule(config, "user:session:1"));
  }

  @Test
  void modeAndScriptsAcceptOnlyTheirWords() throws Exception {
    assertTrue(resolve("mode: observe\n").observe());
    assertTrue(resolve("scripts: declared-keys\n").scriptsDeclareKeys());
    assertFalse(resolve("rules: []\n").scriptsDeclareKeys());
    assertTrue(failure("mode: shadow\n").contains("line 1 key 'mode': expected one of [cache, observe], got 'shadow'"));
    assertTrue(failure("scripts: trust\n").contains("expected one of [flush, declared-keys]"));
  }

  @Test
  void theFileCannotNameAnotherFile() {
    assertTrue(failure("config: /elsewhere.yaml\n").contains("key 'config': unknown key"));
  }

  @Test
  void changesAreNamedOnePerSettingAndRule() throws Exception {
    AgentConfig before = resolve("max-memory: 8MB\nrules:\n  - prefix: \"user:\"\n    ttl: 60s\n  - prefix: \"cart:\"\n");
    AgentConfig after = resolve("max-memory: 16MB\nmode: observe\nrules:\n  - prefix: \"user:\"\n    cache: false\n  - prefix: \"flag:\"\n    ttl: 6h\n");

    assertEquals(
        "mode cache -> observe, max-memory 8MB -> 16MB, rule 'user:' ttl=PT1M -> 'user:' not cached,"
            + " rule added 'flag:' ttl=PT6H, rule removed 'cart:' ttl=PT30S",
        after.changesFrom(before));
    assertEquals("", after.changesFrom(after));
  }

  @Test
  void aFileThatCannotBeReadIsNamedWithWhy(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    String directory = assertThrows(ConfigException.class, () -> ConfigResolver.read(dir)).getMessage();
    assertTrue(directory.startsWith("config " + dir + ": cannot be read: java.io.IOException: Is a directory"), directory);

    Path missing = dir.resolve("gone.yaml");
    String gone = assertThrows(ConfigException.class, () -> ConfigResolver.read(missing)).getMessage();
    assertTrue(gone.startsWith("config " + missing + ": cannot be read: java.nio.file.NoSuchFileException"), gone);

    Path loop = java.nio.file.Files.createSymbolicLink(dir.resolve("loop.yaml"), Path.of("loop.yaml"));
    String looped = assertThrows(ConfigException.class, () -> ConfigResolver.read(loop)).getMessage();
    assertTrue(looped.contains("cannot be read") && looped.contains("loop.yaml"), looped);
  }

  private AgentConfig resolve(String yaml) throws ConfigException {
    return new ConfigResolver(props, env).resolve(yaml == null ? null : yaml.getBytes(UTF_8), FILE);
  }

  private String failure(String yaml) {
    return assertThrows(ConfigException.class, () -> resolve(yaml)).getMessage();
  }

  private static KeyRule rule(AgentConfig config, String key) {
    return config.activeRules().cachingRule(key.getBytes(UTF_8));
  }
}
