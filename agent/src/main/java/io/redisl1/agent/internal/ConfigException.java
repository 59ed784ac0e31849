package io.redisl1.agent.internal;

import java.nio.file.Path;

/** A configuration that cannot be used, with where and why in its message. */
final class ConfigException extends Exception {
  ConfigException(Path file, int line, String key, String problem) {
    super("config " + file + (line > 0 ? " line " + line : "") + (key == null ? "" : " key '" + key + "'") + ": " + problem);
  }
}
