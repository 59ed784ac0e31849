package io.redisl1.store.command;

import io.redisl1.store.command.CommandEffect.Kind;

/**
 * Commands that change how the connection must be tracked rather than what it holds. When one of
 * them cannot be parsed we no longer know the connection's db or user, so it stops being trusted.
 */
final class SessionCommands {
  private SessionCommands() {}

  static CommandEffect select(byte[][] argv) {
    int db = argv.length == 2 ? Ascii.index(argv[1]) : -1;
    return db < 0 ? untrusted() : CommandEffect.select(db);
  }

  /** {@code AUTH password} (the "default" user) or {@code AUTH user password}. */
  static CommandEffect auth(byte[][] argv) {
    if (argv.length == 2) {
      return CommandEffect.authDefault();
    }
    return argv.length == 3 ? CommandEffect.auth(argv[1]) : untrusted();
  }

  /** {@code HELLO [protover [AUTH user password] [SETNAME name]]}. */
  static CommandEffect hello(byte[][] argv) {
    byte[] user = null;
    for (int i = 2; i < argv.length; i++) {
      if (Ascii.is(argv[i], "auth") && i + 2 < argv.length) {
        user = argv[i + 1];
        i += 2;
      } else if (Ascii.is(argv[i], "setname") && i + 1 < argv.length) {
        i++;
      } else {
        return untrusted();
      }
    }
    // HELLO 3 alone is fine: RESP3 pushes only come with tracking or pub/sub, caught elsewhere.
    return user == null ? Rules.none() : CommandEffect.auth(user);
  }

  /** CLIENT REPLY ON, CLIENT TRACKING OFF, SCRIPT DEBUG NO are harmless; their other forms not. */
  static CommandEffect unlessLastArg(byte[][] argv, String harmless) {
    return argv.length == 3 && Ascii.is(argv[2], harmless) ? Rules.none() : untrusted();
  }

  /** DEBUG RELOAD, LOADAOF, POPULATE and friends rewrite data; only a few forms just look. */
  static CommandEffect debug(byte[][] argv) {
    if (argv.length >= 2) {
      byte[] sub = argv[1];
      if (Ascii.is(sub, "object") || Ascii.is(sub, "sleep") || Ascii.is(sub, "digest")
          || Ascii.is(sub, "digest-value") || Ascii.is(sub, "help")) {
        return Rules.none();
      }
    }
    return CommandEffect.of(Kind.FLUSH_ALL);
  }

  private static CommandEffect untrusted() {
    return CommandEffect.of(Kind.LEAVES_REQUEST_REPLY);
  }
}
