package io.redisl1.store.command;

/** Byte-level helpers, so classifying never builds a String from an argument. */
final class Ascii {
  private Ascii() {}

  static int lower(int b) {
    return b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b;
  }

  /** Case-insensitive comparison with a lower-case ASCII word, as Redis's strcasecmp does. */
  static boolean is(byte[] arg, String word) {
    if (arg.length != word.length()) {
      return false;
    }
    for (int i = 0; i < arg.length; i++) {
      if (lower(arg[i]) != word.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * A db index or count, or -1. Accepts exactly the non-negative numbers Redis's string2ll does
   * (no sign, no leading zero, no spaces), so we never read a number where the server reads none.
   */
  static int index(byte[] arg) {
    if (arg.length == 0 || arg.length > 10 || (arg[0] == '0' && arg.length > 1)) {
      return -1;
    }
    long value = 0;
    for (byte b : arg) {
      if (b < '0' || b > '9') {
        return -1;
      }
      value = value * 10 + (b - '0');
    }
    return value > Integer.MAX_VALUE ? -1 : (int) value;
  }
}
