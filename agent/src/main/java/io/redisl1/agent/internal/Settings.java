package io.redisl1.agent.internal;

import io.redisl1.metrics.MetricsSettings;
import io.redisl1.store.L1Settings;
import io.redisl1.store.tracking.InvalidationSettings;
import java.time.Duration;
import java.util.List;

/**
 * Every setting of the agent, each declared once. A new setting is one line here, one row in the
 * README's table and one accessor where it is used; its system property, environment variable and
 * YAML key, its precedence and its error lines follow from the declaration.
 */
final class Settings {
  /** Where the YAML file is; only a system property or the environment can say so. */
  static final Setting<String> CONFIG = Setting.outsideFile("config", "", text -> text);

  static final Setting<Boolean> ENABLED = Setting.bool("enabled", true);
  /** cache: answer GETs from the L1; observe: never answer, count what caching would have saved. */
  static final Setting<String> MODE = Setting.choice("mode", "cache", "observe");
  static final Setting<Long> MAX_MEMORY = Setting.size("max-memory", "64MB", 1L << 40);
  /** Below 2GB: a value is one Java array. */
  static final Setting<Long> MAX_VALUE_SIZE = Setting.size("max-value-size", "256KB", Integer.MAX_VALUE);
  static final Setting<Duration> DEFAULT_TTL =
      Setting.of("default-ttl", "30s", RuleSpec::ttl);
  static final Setting<List<RuleSpec>> RULES = Setting.of("rules", "", RuleSpec::parseLine);
  /** flush: a script empties the server's L1; declared-keys: only the KEYS it declares. */
  static final Setting<String> SCRIPTS = Setting.choice("scripts", "flush", "declared-keys");
  static final Setting<Duration> RELOAD_INTERVAL =
      Setting.duration("reload-interval", "5s", Duration.ofMillis(50), Duration.ofHours(1), true);
  static final Setting<Duration> REPORT_INTERVAL =
      Setting.duration("report-interval", "off", Duration.ofSeconds(1), Duration.ofDays(1), true);
  static final Setting<Boolean> DEBUG = Setting.bool("debug", false);
  /** How long before Redis drops a key its entry must be gone; see L1Settings for the default. */
  static final Setting<Duration> TTL_MARGIN =
      Setting.duration(
          "ttl-margin",
          Duration.ofNanos(L1Settings.DEFAULT_TTL_MARGIN_NANOS).toMillis() + "ms",
          Duration.ZERO,
          Duration.ofMinutes(10),
          false);
  /** tracking: Redis tells the agent of every write (CLIENT TRACKING); ttl: entries end by TTL alone. */
  static final Setting<String> INVALIDATION = Setting.choice("invalidation", "tracking", "ttl");
  /** With tracking: an endpoint whose server cannot track stays uncached instead of running on TTLs. */
  static final Setting<Boolean> INVALIDATION_REQUIRED = Setting.bool("invalidation-required", false);
  /** How often the canary checks that the invalidation channel still delivers. */
  static final Setting<Duration> CANARY_INTERVAL =
      Setting.duration(
          "canary-interval",
          InvalidationSettings.DEFAULT_CANARY_INTERVAL.toMillis() + "ms",
          Duration.ofMillis(10),
          Duration.ofMinutes(10),
          false);
  /**
   * The oldest value a hit may answer with (tracking): hits stop this long after the last canary
   * that came back. "auto" (zero): four canary intervals. Shortens canary-interval to a quarter of it.
   */
  static final Setting<Duration> MAX_STALENESS =
      Setting.of("max-staleness", "auto", text -> text.equals("auto")
          ? Duration.ZERO
          : Durations.parseWithin(text, InvalidationSettings.MIN_MAX_STALENESS, Duration.ofHours(1), " or auto"));
  static final Setting<String> METRICS_ENABLED = metrics("enabled", "true");
  static final Setting<String> METRICS_PORT = metrics("port", String.valueOf(MetricsSettings.DEFAULT_PORT));
  static final Setting<String> METRICS_HOST = metrics("host", MetricsSettings.DEFAULT_HOST);
  static final Setting<String> METRICS_GLOBAL_REGISTRY = metrics("global-registry", "false");

  static final List<Setting<?>> ALL =
      List.of(CONFIG, ENABLED, MODE, MAX_MEMORY, MAX_VALUE_SIZE, DEFAULT_TTL, RULES, SCRIPTS,
          RELOAD_INTERVAL, REPORT_INTERVAL, DEBUG, TTL_MARGIN, INVALIDATION, INVALIDATION_REQUIRED,
          CANARY_INTERVAL, MAX_STALENESS, METRICS_ENABLED, METRICS_PORT,
          METRICS_HOST, METRICS_GLOBAL_REGISTRY);

  /** Names other parts of the agent read on their own: accepted in every source. None today. */
  static final List<String> READ_ELSEWHERE = List.of();

  /** A {@code metrics.<key>} setting, checked by the metrics module's own parser. */
  private static Setting<String> metrics(String key, String defaultText) {
    return Setting.of(
        "metrics." + key,
        defaultText,
        text -> {
          try {
            new MetricsSettings.Builder().set(key, text);
            return text.trim();
          } catch (IllegalArgumentException e) {
            throw new Setting.Invalid(e.getMessage());
          }
        });
  }

  private Settings() {}

  static Setting<?> named(String name) {
    for (Setting<?> setting : ALL) {
      if (setting.name.equals(name)) {
        return setting;
      }
    }
    return null;
  }

  static boolean readElsewhere(String name) {
    for (String prefix : READ_ELSEWHERE) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
