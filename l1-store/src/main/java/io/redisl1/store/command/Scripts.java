package io.redisl1.store.command;

import io.redisl1.store.command.CommandEffect.Kind;

/**
 * What EVAL, EVALSHA and FCALL invalidate. By default everything cached for the server: a script
 * may SELECT another database and write keys it never declared. Under {@code scripts:
 * declared-keys} the operator vouches that every script names each key it writes in {@code
 * numkeys}/KEYS and stays in its connection's database (what Redis Cluster requires of scripts
 * anyway), and only those keys are invalidated. The _RO forms are read-only in the command table
 * (Redis refuses writes in them) and invalidate nothing either way.
 */
public final class Scripts {
  private static volatile boolean declaredKeys;

  private Scripts() {}

  /** Whether scripts invalidate only their declared keys; takes effect from the next command. */
  public static void trustDeclaredKeys(boolean trust) {
    declaredKeys = trust;
  }

  public static boolean declaredKeysTrusted() {
    return declaredKeys;
  }

  /** {@code EVAL script numkeys key... arg...} (EVALSHA sha, FCALL function: same layout). */
  static CommandEffect effect(byte[][] argv) {
    if (!declaredKeys) {
      return CommandEffect.of(Kind.FLUSH_ALL);
    }
    int count = argv.length > 2 ? Ascii.index(argv[2]) : -1;
    if (count < 0 || count > argv.length - 3) {
      // Redis refuses it, but which keys were meant cannot be known: stay conservative.
      return CommandEffect.of(Kind.FLUSH_ALL);
    }
    if (count == 0) {
      return CommandEffect.of(Kind.NONE);
    }
    byte[][] keys = new byte[count][];
    System.arraycopy(argv, 3, keys, 0, count);
    return CommandEffect.write(keys);
  }
}
