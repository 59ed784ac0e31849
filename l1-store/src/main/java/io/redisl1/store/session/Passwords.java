package io.redisl1.store.session;

import java.nio.charset.StandardCharsets;

/**
 * The password of an {@code AUTH} or {@code HELLO ... AUTH} command, for the invalidation channel
 * that must authenticate as the application did. Never logged.
 */
final class Passwords {
  private Passwords() {}

  /** {@code AUTH pass}, {@code AUTH user pass}, {@code HELLO 3 AUTH user pass ...}; else null. */
  static byte[] of(byte[][] argv) {
    if (argv.length < 2 || argv[0] == null) {
      return null;
    }
    String command = new String(argv[0], StandardCharsets.US_ASCII);
    if (command.equalsIgnoreCase("AUTH")) {
      return argv.length == 2 ? argv[1] : argv.length == 3 ? argv[2] : null;
    }
    for (int i = 2; i + 2 < argv.length; i++) {
      if (new String(argv[i], StandardCharsets.US_ASCII).equalsIgnoreCase("AUTH")) {
        return argv[i + 2];
      }
    }
    return null;
  }
}
