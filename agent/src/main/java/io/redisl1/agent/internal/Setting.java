package io.redisl1.agent.internal;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One setting, under one name everywhere: {@code name} in the YAML file, {@code -Dredisl1.<name>}
 * as a system property, {@code REDISL1_<NAME>} (upper case, {@code -} and {@code .} as {@code _})
 * in the environment. Declared once in {@link Settings}; everything else (precedence, error lines,
 * the reload's summary of what changed) works from the declaration.
 */
final class Setting<T> {
  /** Reads a setting's text; throws {@link Invalid} saying what was expected. */
  interface Parser<T> {
    T parse(String text) throws Invalid;
  }

  /** A value that does not fit; the message says what was expected and what came. */
  static final class Invalid extends Exception {
    Invalid(String problem) {
      super(problem, null, false, false);
    }
  }

  final String name;
  final String defaultText;
  final Parser<T> parser;
  /** False for settings that say where the file is, which the file itself cannot say. */
  final boolean inFile;

  private Setting(String name, String defaultText, Parser<T> parser, boolean inFile) {
    this.name = name;
    this.defaultText = defaultText;
    this.parser = parser;
    this.inFile = inFile;
  }

  String property() {
    return "redisl1." + name;
  }

  String envVar() {
    return envVar(name);
  }

  static String envVar(String name) {
    return "REDISL1_" + name.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
  }

  T parse(String text) throws Invalid {
    return parser.parse(text.trim());
  }

  T defaultValue() {
    try {
      return parse(defaultText);
    } catch (Invalid e) {
      throw new IllegalStateException("default of " + name + " does not parse", e);
    }
  }

  static <T> Setting<T> of(String name, String defaultText, Parser<T> parser) {
    return new Setting<>(name, defaultText, parser, true);
  }

  static <T> Setting<T> outsideFile(String name, String defaultText, Parser<T> parser) {
    return new Setting<>(name, defaultText, parser, false);
  }

  static Setting<Boolean> bool(String name, boolean defaultValue) {
    return of(name, Boolean.toString(defaultValue), Setting::parseBool);
  }

  /** Only {@code true} or {@code false}: "yes" or "1" are refused rather than guessed. */
  static boolean parseBool(String text) throws Invalid {
    if (text.equals("true") || text.equals("false")) {
      return Boolean.parseBoolean(text);
    }
    throw new Invalid("expected true or false, got '" + text + "'");
  }

  /** A size in bytes, at least 1 byte and at most {@code max}. */
  static Setting<Long> size(String name, String defaultText, long max) {
    return of(name, defaultText, text -> {
      long bytes = Sizes.parse(text);
      if (bytes <= 0) {
        throw new Invalid("expected a positive size like 64MB, 512KB or 1GB, got '" + text + "'");
      }
      if (bytes > max) {
        throw new Invalid("must be at most " + Sizes.format(max) + ", got '" + text + "'");
      }
      return bytes;
    });
  }

  /** A duration between {@code min} and {@code max}; with {@code offAllowed}, "off" reads as zero. */
  static Setting<Duration> duration(String name, String defaultText, Duration min, Duration max, boolean offAllowed) {
    return of(name, defaultText, text -> {
      if (offAllowed && text.equalsIgnoreCase("off")) {
        return Duration.ZERO;
      }
      return Durations.parseWithin(text, min, max, offAllowed ? " or off" : "");
    });
  }

  static Setting<String> choice(String name, String... choices) {
    List<String> allowed = Arrays.asList(choices);
    return of(name, choices[0], text -> {
      if (allowed.contains(text)) {
        return text;
      }
      throw new Invalid("expected one of " + allowed + ", got '" + text + "'");
    });
  }

  @Override
  public String toString() {
    return name;
  }
}
