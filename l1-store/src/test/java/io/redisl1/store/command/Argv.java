package io.redisl1.store.command;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Test shorthand: argv from strings, keys back as strings. */
final class Argv {
  private Argv() {}

  static byte[][] of(String... args) {
    byte[][] argv = new byte[args.length][];
    for (int i = 0; i < args.length; i++) {
      argv[i] = args[i].getBytes(StandardCharsets.UTF_8);
    }
    return argv;
  }

  static CommandEffect classify(String... args) {
    return CommandEffects.classify(of(args));
  }

  static List<String> keys(CommandEffect effect) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < effect.keyCount(); i++) {
      keys.add(new String(effect.key(i), StandardCharsets.UTF_8));
    }
    return keys;
  }
}
