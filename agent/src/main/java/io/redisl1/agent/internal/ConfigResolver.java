package io.redisl1.agent.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Resolves every setting from its sources, highest first: system property {@code redisl1.<name>},
 * environment variable {@code REDISL1_<NAME>}, the YAML file, the default. A source gives a
 * setting whole: {@code rules} from the environment replaces the file's rules, it does not add to
 * them. Names under {@code redisl1.} / {@code REDISL1_} that are no setting are errors, so a typo
 * cannot silently leave a default in force.
 */
final class ConfigResolver {
  private final Properties properties;
  private final Map<String, String> env;

  ConfigResolver(Properties properties, Map<String, String> env) {
    this.properties = properties;
    this.env = env;
  }

  /** The YAML file named by {@code -Dredisl1.config} or else {@code REDISL1_CONFIG}, or null. */
  Path file() {
    String named = properties.getProperty(Settings.CONFIG.property());
    if (named == null || named.isBlank()) {
      named = env.get(Settings.CONFIG.envVar());
    }
    return named == null || named.isBlank() ? null : Paths.get(named.trim());
  }

  /** Whether any source says anything to the agent. */
  boolean anySource() {
    for (String name : properties.stringPropertyNames()) {
      if (name.startsWith("redisl1.")) {
        return true;
      }
    }
    for (String name : env.keySet()) {
      if (name.startsWith("REDISL1_")) {
        return true;
      }
    }
    return false;
  }

  /** The file's bytes, following symbolic links afresh (a ConfigMap swaps them). */
  static byte[] read(Path file) throws ConfigException {
    try {
      return Files.readAllBytes(file);
    } catch (IOException | RuntimeException e) {
      throw new ConfigException(file, 0, null, "cannot be read: " + e);
    }
  }

  /** Every setting, from {@code fileContent} (the bytes of {@code file}, or null) and the rest. */
  AgentConfig resolve(byte[] fileContent, Path file) throws ConfigException {
    Map<Setting<?>, Object> values = new LinkedHashMap<>();
    Map<Setting<?>, String> origins = new LinkedHashMap<>();
    for (Setting<?> setting : Settings.ALL) {
      values.put(setting, setting.defaultValue());
    }
    if (fileContent != null) {
      Map<Setting<?>, Object> fromFile = ConfigLoader.read(file, fileContent);
      values.putAll(fromFile);
      for (Setting<?> setting : fromFile.keySet()) {
        origins.put(setting, "file " + file);
      }
    }
    for (String name : new TreeSet<>(env.keySet())) {
      if (!name.startsWith("REDISL1_")) {
        continue;
      }
      String where = "environment variable " + name;
      Setting<?> setting = byEnvVar(name);
      if (setting == null) {
        if (readElsewhereEnv(name)) {
          continue;
        }
        throw new ConfigException(where, null, "not a redis-l1 setting; expected one of " + envVars());
      }
      values.put(setting, parse(setting, env.get(name), where));
      origins.put(setting, where);
    }
    for (String name : new TreeSet<>(properties.stringPropertyNames())) {
      if (!name.startsWith("redisl1.")) {
        continue;
      }
      String where = "system property " + name;
      Setting<?> setting = Settings.named(name.substring("redisl1.".length()));
      if (setting == null) {
        if (Settings.readElsewhere(name.substring("redisl1.".length()))) {
          continue;
        }
        throw new ConfigException(where, null, "not a redis-l1 setting; expected one of " + propertyNames());
      }
      values.put(setting, parse(setting, properties.getProperty(name), where));
      origins.put(setting, where);
    }
    AgentConfig config = new AgentConfig(values);
    check(config, origins);
    return config;
  }

  /** Checks between settings, named by the source of the one that must give way. */
  private static void check(AgentConfig config, Map<Setting<?>, String> origins) throws ConfigException {
    if (config.maxValueBytes() > config.maxMemoryBytes()) {
      Setting<?> blamed = origins.containsKey(Settings.MAX_VALUE_SIZE) ? Settings.MAX_VALUE_SIZE : Settings.MAX_MEMORY;
      throw new ConfigException(origins.getOrDefault(blamed, "defaults"), blamed.name,
          "max-value-size " + Sizes.format(config.maxValueBytes()) + " exceeds max-memory "
              + Sizes.format(config.maxMemoryBytes()));
    }
    long heap = Runtime.getRuntime().maxMemory();
    if (origins.containsKey(Settings.MAX_MEMORY) && heap != Long.MAX_VALUE && config.maxMemoryBytes() > heap) {
      throw new ConfigException(origins.get(Settings.MAX_MEMORY), Settings.MAX_MEMORY.name,
          Sizes.format(config.maxMemoryBytes()) + " is more than the JVM's whole heap ("
              + Sizes.format(heap) + ", -Xmx)");
    }
  }

  private static Object parse(Setting<?> setting, String text, String where) throws ConfigException {
    try {
      return setting.parse(text);
    } catch (Setting.Invalid e) {
      throw new ConfigException(where, null, e.getMessage());
    }
  }

  private static Setting<?> byEnvVar(String name) {
    for (Setting<?> setting : Settings.ALL) {
      if (setting.envVar().equals(name)) {
        return setting;
      }
    }
    return null;
  }

  private static boolean readElsewhereEnv(String name) {
    for (String prefix : Settings.READ_ELSEWHERE) {
      if (name.startsWith(Setting.envVar(prefix))) {
        return true;
      }
    }
    return false;
  }

  private static Set<String> envVars() {
    Set<String> names = new TreeSet<>();
    Settings.ALL.forEach(s -> names.add(s.envVar()));
    return names;
  }

  private static Set<String> propertyNames() {
    Set<String> names = new TreeSet<>();
    Settings.ALL.forEach(s -> names.add(s.property()));
    return names;
  }
}
