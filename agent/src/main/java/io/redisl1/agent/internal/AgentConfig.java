package io.redisl1.agent.internal;

import io.redisl1.metrics.MetricsSettings;
import io.redisl1.store.KeyRules;
import io.redisl1.store.tracking.InvalidationSettings;
import io.redisl1.store.L1Settings;
import java.time.Duration;

/** The agent configuration as read from its YAML file. */
final class AgentConfig {
  static final long DEFAULT_MAX_MEMORY = 64L << 20;
  static final int DEFAULT_MAX_VALUE_SIZE = 256 << 10;
  static final Duration DEFAULT_TTL = Duration.ofSeconds(30);
  /** See {@link io.redisl1.store.L1Settings#DEFAULT_TTL_MARGIN_NANOS} for why. */
  static final Duration DEFAULT_TTL_MARGIN = Duration.ofNanos(L1Settings.DEFAULT_TTL_MARGIN_NANOS);

  private final boolean enabled;
  private final long maxMemoryBytes;
  private final int maxValueBytes;
  private final Duration defaultTtl;
  private final Duration ttlMargin;
  private final KeyRules rules;
  private final InvalidationSettings invalidation;
  /** The file's metrics settings; system properties are laid over them by {@link MetricsSources}. */
  private final MetricsSettings.Builder metrics;

  AgentConfig(
      boolean enabled,
      long maxMemoryBytes,
      int maxValueBytes,
      Duration defaultTtl,
      Duration ttlMargin,
      KeyRules rules,
      MetricsSettings.Builder metrics,
      InvalidationSettings invalidation) {
    this.invalidation = invalidation;
    this.enabled = enabled;
    this.maxMemoryBytes = maxMemoryBytes;
    this.maxValueBytes = maxValueBytes;
    this.defaultTtl = defaultTtl;
    this.ttlMargin = ttlMargin;
    this.rules = rules;
    this.metrics = metrics;
  }

  boolean enabled() {
    return enabled;
  }

  long maxMemoryBytes() {
    return maxMemoryBytes;
  }

  int maxValueBytes() {
    return maxValueBytes;
  }

  Duration defaultTtl() {
    return defaultTtl;
  }

  /** How long before Redis drops a key its L1 entry must be gone. */
  Duration ttlMargin() {
    return ttlMargin;
  }

  KeyRules rules() {
    return rules;
  }

  InvalidationSettings invalidation() {
    return invalidation;
  }

  MetricsSettings.Builder metrics() {
    return metrics;
  }
}
