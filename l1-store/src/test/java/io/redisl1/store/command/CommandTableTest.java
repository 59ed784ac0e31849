package io.redisl1.store.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisl1.store.command.CommandEffect.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class CommandTableTest {
  private static final List<CommandTable.Row> ROWS = CommandTable.readRows();

  /** Argv for a row: its name (split at '|'), then filler up to its minimum arity. */
  static List<String> plausible(CommandTable.Row row, int extra) {
    return plausible(row.name, row.arity, extra);
  }

  static List<String> plausible(String name, int arity, int extra) {
    List<String> argv = new ArrayList<>(List.of(name.toUpperCase().split("\\|")));
    int argc = Math.abs(arity) + extra;
    while (argv.size() < argc) {
      argv.add("a" + argv.size());
    }
    return argv;
  }

  @Test
  void coversRedis62And70() {
    Set<String> names = new TreeSet<>();
    ROWS.forEach(row -> names.add(row.name));
    assertTrue(names.size() > 350, "rows: " + names.size());
    assertTrue(names.containsAll(List.of("get", "set", "stralgo", "lmpop", "function|load",
        "client|kill", "xgroup|create", "expiretime")));
  }

  @Test
  void everyRowWasDecidedOn() {
    // A row outside these would fall to the FLUSH_DB default: unclassified flags and no override.
    // Movable-key writes need real options to parse; the server test covers them.
    Set<String> flushDb = new TreeSet<>();
    for (CommandTable.Row row : ROWS) {
      List<String> argv = plausible(row, 0);
      boolean parsed = row.flags.contains("movablekeys") && row.flags.contains("write");
      if (!parsed && Argv.classify(argv.toArray(new String[0])).kind() == Kind.FLUSH_DB) {
        flushDb.add(row.name);
      }
    }
    assertEquals(Set.of("flushdb", "restore-asking",
        // Containers with nothing after them, refused by the server.
        "acl", "client", "cluster", "config", "function", "latency", "memory", "module", "object",
        "pubsub", "script", "slowlog", "xgroup", "xinfo"), flushDb);
  }

  @Test
  void everyMovableKeyWriteHasItsOwnParser() {
    Set<String> movableWrites = new TreeSet<>();
    for (CommandTable.Row row : ROWS) {
      if (row.flags.contains("write") && row.flags.contains("movablekeys")) {
        movableWrites.add(row.name);
      }
    }
    // See KeyedCommands; MIGRATE is FLUSH_ALL. A new name here needs a parser first.
    assertEquals(Set.of("sort", "georadius", "georadiusbymember", "zunionstore", "zinterstore",
        "zdiffstore", "lmpop", "zmpop", "blmpop", "bzmpop", "xreadgroup", "migrate"), movableWrites);
  }

  @Test
  void randomArgvNeverThrows() {
    Random random = new Random(42);
    String[] words = {"STORE", "STOREDIST", "COUNT", "BLOCK", "GROUP", "STREAMS", "DB", "AUTH",
        "SETNAME", "LIMIT", "BY", "GET", "0", "1", "-1", "2", "x", "", "REPLACE", "NOACK", "ON"};
    for (int n = 0; n < 200_000; n++) {
      CommandTable.Row row = ROWS.get(random.nextInt(ROWS.size()));
      List<String> argv = new ArrayList<>(List.of(row.name.split("\\|")));
      int extra = random.nextInt(8);
      for (int i = 0; i < extra; i++) {
        argv.add(words[random.nextInt(words.length)]);
      }
      if (random.nextInt(10) == 0 && argv.size() > 1) {
        argv.remove(1);
      }
      assertNotNull(CommandEffects.classifyUnguarded(Argv.of(argv.toArray(new String[0]))));
    }
  }
}
