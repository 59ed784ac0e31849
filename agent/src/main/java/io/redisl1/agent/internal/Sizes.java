package io.redisl1.agent.internal;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Byte sizes as written in the config: {@code 512}, {@code 64KB}, {@code 64MB}, {@code 1GB} (1024-based, like -Xmx). */
final class Sizes {
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|K|KB|KIB|M|MB|MIB|G|GB|GIB)?");

  private Sizes() {}

  /** The size in bytes, or -1 if {@code text} is not a size. */
  static long parse(String text) {
    Matcher m = SIZE.matcher(text.trim().toUpperCase(Locale.ROOT));
    if (!m.matches()) {
      return -1;
    }
    long n;
    try {
      n = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      return -1;
    }
    String unit = m.group(2) == null ? "B" : m.group(2);
    int shift = unit.startsWith("G") ? 30 : unit.startsWith("M") ? 20 : unit.startsWith("K") ? 10 : 0;
    return n > (Long.MAX_VALUE >> shift) ? -1 : n << shift;
  }

  static String format(long bytes) {
    if (bytes >= (1L << 30) && bytes % (1L << 30) == 0) return (bytes >> 30) + "GB";
    if (bytes >= (1L << 20) && bytes % (1L << 20) == 0) return (bytes >> 20) + "MB";
    if (bytes >= (1L << 10) && bytes % (1L << 10) == 0) return (bytes >> 10) + "KB";
    return bytes + "B";
  }
}
