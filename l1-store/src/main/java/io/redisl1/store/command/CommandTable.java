package io.redisl1.store.command;

import io.redisl1.store.L1Log;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Command name to {@link Rule}, looked up case-insensitively straight from the argv bytes. Open
 * addressing over lower-case names keeps a lookup to one hash pass and one compare.
 */
final class CommandTable {
  /** Derived from real servers' COMMAND replies by CommandTableGenerator (test sources). */
  static final String RESOURCE = "commands.txt";

  /** One line of {@link #RESOURCE}. */
  static final class Row {
    final String name;
    final int arity;
    final List<String> flags;
    final int first;
    final int last;
    final int step;

    Row(String name, int arity, List<String> flags, int first, int last, int step) {
      this.name = name;
      this.arity = arity;
      this.flags = flags;
      this.first = first;
      this.last = last;
      this.step = step;
    }
  }

  private final byte[][] names;
  private final Rule[] rules;
  private final int mask;

  CommandTable(Map<String, Rule> byName) {
    int capacity = Integer.highestOneBit(Math.max(16, byName.size() * 3)) << 1;
    names = new byte[capacity][];
    rules = new Rule[capacity];
    mask = capacity - 1;
    for (Map.Entry<String, Rule> e : byName.entrySet()) {
      byte[] name = e.getKey().getBytes(StandardCharsets.US_ASCII);
      int slot = hash(name, null) & mask;
      while (names[slot] != null) {
        slot = (slot + 1) & mask;
      }
      names[slot] = name;
      rules[slot] = e.getValue();
    }
  }

  /** The rule for {@code name}, or for {@code name|sub} when sub is not null; null if unknown. */
  Rule find(byte[] name, byte[] sub) {
    for (int slot = hash(name, sub) & mask; names[slot] != null; slot = (slot + 1) & mask) {
      if (matches(names[slot], name, sub)) {
        return rules[slot];
      }
    }
    return null;
  }

  static List<Row> readRows() {
    List<Row> rows = new ArrayList<>();
    try (InputStream in = CommandTable.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        tableMissing("it is not on the class path");
        return rows; // every command becomes unknown, so FLUSH_DB: slow but never stale
      }
      BufferedReader reader =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
      for (String line; (line = reader.readLine()) != null; ) {
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split(" ");
        List<String> flags = f[2].equals("-") ? List.of() : Arrays.asList(f[2].split(","));
        rows.add(new Row(f[0], Integer.parseInt(f[1]), flags, Integer.parseInt(f[3]),
            Integer.parseInt(f[4]), Integer.parseInt(f[5])));
      }
    } catch (IOException | RuntimeException e) {
      rows.clear();
      tableMissing("it could not be read: " + e);
    }
    return rows;
  }

  private static void tableMissing(String why) {
    L1Log.error(
        "the command table " + RESOURCE + " is unusable (" + why + "); every command is treated as"
            + " an unknown write that empties its database's L1, so almost nothing will be served");
  }

  private static int hash(byte[] name, byte[] sub) {
    int h = 0;
    for (byte b : name) {
      h = 31 * h + Ascii.lower(b);
    }
    if (sub != null) {
      h = 31 * h + '|';
      for (byte b : sub) {
        h = 31 * h + Ascii.lower(b);
      }
    }
    return h ^ (h >>> 16);
  }

  private static boolean matches(byte[] entry, byte[] name, byte[] sub) {
    int length = sub == null ? name.length : name.length + 1 + sub.length;
    if (entry.length != length) {
      return false;
    }
    for (int i = 0; i < name.length; i++) {
      // "client|kill" as a command name is unknown to Redis, so it must not find a subcommand.
      if (entry[i] != Ascii.lower(name[i]) || name[i] == '|') {
        return false;
      }
    }
    if (sub == null) {
      return true;
    }
    if (entry[name.length] != '|') {
      return false;
    }
    for (int i = 0, at = name.length + 1; i < sub.length; i++, at++) {
      if (entry[at] != Ascii.lower(sub[i])) {
        return false;
      }
    }
    return true;
  }
}
