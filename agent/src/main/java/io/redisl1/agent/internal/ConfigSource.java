package io.redisl1.agent.internal;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Properties;

/** Where the configuration file is named: a system property first, else an environment variable. */
final class ConfigSource {
  static final String PROPERTY = "redisl1.config";
  static final String ENV = "REDISL1_CONFIG";

  private final Path path;

  private ConfigSource(Path path) {
    this.path = path;
  }

  /** The named file, or null when neither names one. */
  static ConfigSource locate(Properties properties, Map<String, String> env) {
    String named = properties.getProperty(PROPERTY);
    if (named == null || named.isBlank()) {
      named = env.get(ENV);
    }
    return named == null || named.isBlank() ? null : new ConfigSource(Paths.get(named.trim()));
  }

  Path path() {
    return path;
  }
}
