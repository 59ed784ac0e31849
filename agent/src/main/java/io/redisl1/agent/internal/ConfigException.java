package io.redisl1.agent.internal;

import java.nio.file.Path;

/** A configuration that cannot be used, with where (file and line, variable, property) and why. */
final class ConfigException extends Exception {
  ConfigException(Path file, int line, String key, String problem) {
    this(file + (line > 0 ? " line " + line : ""), key, problem);
  }

  /** {@code where}: "environment variable REDISL1_X", "system property redisl1.x", a file. */
  ConfigException(String where, String key, String problem) {
    super("config " + where + (key == null ? "" : " key '" + key + "'") + ": " + problem, null, false, false);
  }
}
