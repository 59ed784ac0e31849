package io.redisl1.agent.internal;

import io.redisl1.metrics.MetricsSettings;
import java.util.Properties;

/**
 * Lays the {@code -Dredisl1.metrics.<key>} system properties over the config file's {@code
 * metrics:} settings; a property wins. The one place that says where metrics settings come from.
 */
final class MetricsSources {
  private MetricsSources() {}

  /** @throws IllegalArgumentException naming the property and what it expected */
  static MetricsSettings resolve(MetricsSettings.Builder fromFile, Properties properties) {
    for (String key : MetricsSettings.KEYS) {
      String property = MetricsSettings.PROPERTY_PREFIX + key;
      String value = properties.getProperty(property);
      if (value != null) {
        try {
          fromFile.set(key, value);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("system property -D" + property + ": " + e.getMessage(), e);
        }
      }
    }
    return fromFile.build();
  }
}
