package io.redisl1.store.command;

import io.redisl1.store.L1Log;
import io.redisl1.store.command.CommandEffect.Kind;

/**
 * Decides, from the argv alone, what a command sent to Redis does to the L1. Both client
 * instrumentations call this for every command they see on the wire, so a write it misses leaves a
 * stale value behind: every doubt resolves towards invalidating more.
 *
 * <p>The command table ({@code commands.txt}) is derived from real servers' {@code COMMAND}
 * replies; flags decide ({@code write}: the keys at the table's positions, {@code readonly}: NONE)
 * and {@link Rules} overrides them by hand for commands whose keys move with their options, that
 * reach other dbs, or that change the connection. Commands and subcommands missing from the table
 * (module commands, commands newer than the table) are FLUSH_DB.
 */
public final class CommandEffects {
  private static final CommandTable TABLE =
      new CommandTable(Rules.build(CommandTable.readRows(), CommandEffects::subcommand));

  private CommandEffects() {}

  /** Never throws, never returns null; argv[0] is the command name in any letter case. */
  public static CommandEffect classify(byte[][] argv) {
    try {
      return classifyUnguarded(argv);
    } catch (RuntimeException e) {
      // A bug here must not break the application's Redis call; forgetting everything is safe,
      // but a bug that does it to every command would quietly leave the L1 empty: say so once.
      L1Log.warnOnce(
          "classify-failed",
          "a command could not be classified (" + e + "); it and any like it empty the server's L1");
      return CommandEffect.of(Kind.FLUSH_ALL);
    }
  }

  /** Without the safety net, so tests see the exceptions it would hide. */
  static CommandEffect classifyUnguarded(byte[][] argv) {
    if (argv == null || argv.length == 0) {
      return CommandEffect.of(Kind.FLUSH_DB);
    }
    for (byte[] arg : argv) {
      if (arg == null) {
        return CommandEffect.of(Kind.FLUSH_DB);
      }
    }
    Rule rule = TABLE.find(argv[0], null);
    return rule == null ? CommandEffect.of(Kind.FLUSH_DB) : rule.apply(argv);
  }

  /** Containers (CLIENT, OBJECT, XGROUP, ...) are classified by their subcommand's own row. */
  private static CommandEffect subcommand(byte[][] argv) {
    Rule rule = argv.length < 2 ? null : TABLE.find(argv[0], argv[1]);
    return rule == null ? CommandEffect.of(Kind.FLUSH_DB) : rule.apply(argv);
  }
}
