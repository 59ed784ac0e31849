package io.redisl1.agent.internal;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as written in the config: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 6h}, {@code 1d}. */
final class Durations {
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  private Durations() {}

  /** The duration, if it is one from {@code min} to {@code max}; else says what was expected. */
  static Duration parseWithin(String text, Duration min, Duration max, String alternatives)
      throws Setting.Invalid {
    Duration d = parse(text);
    if (d == null) {
      throw new Setting.Invalid(
          "expected a positive duration like 500ms, 30s, 5m or 6h" + alternatives + ", got '" + text + "'");
    }
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      throw new Setting.Invalid(
          "must be from " + format(min) + " to " + format(max) + alternatives + ", got '" + text + "'");
    }
    return d;
  }

  /** The shortest text {@link #parse} reads back as {@code d}. */
  static String format(Duration d) {
    long ms = d.toMillis();
    if (ms == 0) return "0ms";
    if (ms % 86_400_000 == 0) return ms / 86_400_000 + "d";
    if (ms % 3_600_000 == 0) return ms / 3_600_000 + "h";
    if (ms % 60_000 == 0) return ms / 60_000 + "m";
    if (ms % 1000 == 0) return ms / 1000 + "s";
    return ms + "ms";
  }

  /** The duration, or null if {@code text} is not one. */
  static Duration parse(String text) {
    Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      return null;
    }
    long n;
    try {
      n = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      return null;
    }
    if (n > 1_000_000_000L) {
      return null; // beyond any sane setting, and Duration#toNanos could overflow
    }
    switch (m.group(2)) {
      case "ms":
        return Duration.ofMillis(n);
      case "s":
        return Duration.ofSeconds(n);
      case "m":
        return Duration.ofMinutes(n);
      case "h":
        return Duration.ofHours(n);
      default:
        return Duration.ofDays(n);
    }
  }
}
