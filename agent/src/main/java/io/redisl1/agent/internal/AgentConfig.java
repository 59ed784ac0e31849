package io.redisl1.agent.internal;

import io.redisl1.metrics.MetricsSettings;
import io.redisl1.store.KeyRule;
import io.redisl1.store.tracking.InvalidationSettings;
import io.redisl1.store.KeyRules;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every setting's value once all sources are resolved (see {@link ConfigResolver}). Immutable. */
final class AgentConfig {
  static final long DEFAULT_MAX_MEMORY = Settings.MAX_MEMORY.defaultValue();
  static final int DEFAULT_MAX_VALUE_SIZE = Settings.MAX_VALUE_SIZE.defaultValue().intValue();
  static final Duration DEFAULT_TTL = Settings.DEFAULT_TTL.defaultValue();

  private final Map<Setting<?>, Object> values;
  private final KeyRules rules;

  AgentConfig(Map<Setting<?>, Object> values) {
    this.values = new LinkedHashMap<>(values);
    this.rules = RuleSpec.build(get(Settings.RULES), get(Settings.DEFAULT_TTL));
  }

  static AgentConfig defaults() {
    Map<Setting<?>, Object> values = new LinkedHashMap<>();
    for (Setting<?> setting : Settings.ALL) {
      values.put(setting, setting.defaultValue());
    }
    return new AgentConfig(values);
  }

  @SuppressWarnings("unchecked")
  <T> T get(Setting<T> setting) {
    return (T) values.get(setting);
  }

  boolean enabled() {
    return get(Settings.ENABLED);
  }

  long maxMemoryBytes() {
    return get(Settings.MAX_MEMORY);
  }

  int maxValueBytes() {
    return get(Settings.MAX_VALUE_SIZE).intValue();
  }

  Duration defaultTtl() {
    return get(Settings.DEFAULT_TTL);
  }

  /** How long before Redis drops a key its L1 entry must be gone. */
  Duration ttlMargin() {
    return get(Settings.TTL_MARGIN);
  }

  /** How writes from outside this JVM reach the L1. */
  InvalidationSettings invalidation() {
    return InvalidationSettings.of(
        get(Settings.INVALIDATION).equals("ttl") ? InvalidationSettings.Mode.TTL : InvalidationSettings.Mode.TRACKING,
        get(Settings.INVALIDATION_REQUIRED),
        get(Settings.CANARY_INTERVAL),
        get(Settings.MAX_STALENESS).isZero() ? null : get(Settings.MAX_STALENESS));
  }

  /** The metrics endpoint's settings, each already resolved by precedence and checked. */
  MetricsSettings metrics() {
    return new MetricsSettings.Builder()
        .set("enabled", get(Settings.METRICS_ENABLED))
        .set("port", get(Settings.METRICS_PORT))
        .set("host", get(Settings.METRICS_HOST))
        .set("global-registry", get(Settings.METRICS_GLOBAL_REGISTRY))
        .build();
  }

  /** The rules as configured, whether or not {@code enabled}. */
  KeyRules rules() {
    return rules;
  }

  /** The rules the L1 runs with: none while {@code enabled: false}. */
  KeyRules activeRules() {
    return enabled() ? rules : KeyRules.none();
  }

  boolean observe() {
    return get(Settings.MODE).equals("observe");
  }

  boolean scriptsDeclareKeys() {
    return get(Settings.SCRIPTS).equals("declared-keys");
  }

  boolean cachesAnything() {
    return activeRules().cachesAnything();
  }

  /** What differs from {@code before}, as "name old -> new" parts; empty if nothing does. */
  String changesFrom(AgentConfig before) {
    List<String> changes = new ArrayList<>();
    for (Setting<?> setting : Settings.ALL) {
      if (setting == Settings.RULES || setting == Settings.CONFIG) {
        continue;
      }
      String was = before.show(setting);
      String now = show(setting);
      if (!was.equals(now)) {
        changes.add(setting.name + " " + was + " -> " + now);
      }
    }
    Map<String, String> oldRules = byPrefix(before.rules);
    Map<String, String> newRules = byPrefix(rules);
    for (Map.Entry<String, String> rule : newRules.entrySet()) {
      String was = oldRules.get(rule.getKey());
      if (was == null) {
        changes.add("rule added " + rule.getValue());
      } else if (!was.equals(rule.getValue())) {
        changes.add("rule " + was + " -> " + rule.getValue());
      }
    }
    for (Map.Entry<String, String> rule : oldRules.entrySet()) {
      if (!newRules.containsKey(rule.getKey())) {
        changes.add("rule removed " + rule.getValue());
      }
    }
    return String.join(", ", changes);
  }

  private static Map<String, String> byPrefix(KeyRules rules) {
    Map<String, String> out = new LinkedHashMap<>();
    for (KeyRule rule : rules.rules()) {
      out.put(rule.prefix(), rule.toString());
    }
    return out;
  }

  /** A setting's value as an operator would write it. */
  String show(Setting<?> setting) {
    Object value = values.get(setting);
    if (setting == Settings.MAX_MEMORY || setting == Settings.MAX_VALUE_SIZE) {
      return Sizes.format((Long) value);
    }
    if (value instanceof Duration) {
      return ((Duration) value).isZero() ? "off" : Durations.format((Duration) value);
    }
    if (setting == Settings.RULES) {
      return rules.rules().toString();
    }
    return String.valueOf(value);
  }
}
