package io.redisl1.store.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisl1.store.command.CommandEffect.Kind;
import io.redisl1.testsupport.RedisServerExtension;
import io.redisl1.testsupport.RespClient;
import io.redisl1.testsupport.RespErrorException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Compares our keys with the server's own {@code COMMAND GETKEYS}: ours must be among its keys, and
 * on Redis 7+ ({@code GETKEYSANDFLAGS}) must include every key it does not flag read-only. Commands
 * the server does not know are skipped, so run it against 6.2 (the default) and 7.x (REDIS_URL).
 */
class CommandKeysAgainstServerTest {
  @RegisterExtension static final RedisServerExtension SERVER = new RedisServerExtension();

  /** Fixed-position writes we answer by hand: COPY names dst only, RESTORE-ASKING flushes. */
  private static final Set<String> OWN_PARSERS = Set.of("copy", "move", "restore-asking");

  private static RespClient redis;
  private static Map<String, List<?>> serverCommands;
  private static boolean hasKeyFlags;

  @BeforeAll
  static void connect() throws ReflectiveOperationException {
    // RedisEndpoint is a record (Java 16) and l1-store tests compile for release 11, where
    // javac cannot use it; reflection keeps the type out of this file.
    Object endpoint = RedisServerExtension.class.getMethod("endpoint").invoke(SERVER);
    String host = (String) endpoint.getClass().getMethod("host").invoke(endpoint);
    int port = (Integer) endpoint.getClass().getMethod("port").invoke(endpoint);
    redis = new RespClient(host, port);
    serverCommands = new HashMap<>();
    for (Object command : (List<?>) redis.call("COMMAND")) {
      addWithSubcommands((List<?>) command);
    }
    hasKeyFlags = serverCommands.containsKey("command|getkeysandflags");
  }

  @AfterAll
  static void close() {
    redis.close();
  }

  private static void addWithSubcommands(List<?> command) {
    serverCommands.put(((String) command.get(0)).toLowerCase(), command);
    if (command.size() > 9) {
      for (Object sub : (List<?>) command.get(9)) {
        addWithSubcommands((List<?>) sub);
      }
    }
  }

  @Test
  void tableKnowsEveryCommandOfThisServer() {
    Map<String, CommandTable.Row> table = new HashMap<>();
    CommandTable.readRows().forEach(row -> table.put(row.name, row));
    for (Map.Entry<String, List<?>> e : serverCommands.entrySet()) {
      CommandTable.Row row = table.get(e.getKey());
      assertTrue(row != null, e.getKey() + " is missing from the table: regenerate it");
      for (Object flag : (List<?>) e.getValue().get(2)) {
        assertTrue(row.flags.contains(flag), e.getKey() + " lacks flag " + flag);
      }
    }
  }

  @Test
  void fixedPositionWritesFindTheServersKeys() {
    int compared = 0;
    for (CommandTable.Row row : CommandTable.readRows()) {
      boolean keyed = row.flags.contains("write") || row.flags.contains("may_replicate");
      if (!keyed || row.first == 0 || row.flags.contains("movablekeys") || !known(row.name)
          || OWN_PARSERS.contains(row.name)) {
        continue;
      }
      // The table's arity admits every version's forms; this server may admit fewer.
      List<?> own = serverCommands.get(row.name);
      int arity = own == null ? row.arity : ((Long) own.get(1)).intValue();
      // Variadics get one more key: 7.0's GETKEYS refuses "PFMERGE dest" that PFMERGE accepts.
      List<String> argv = CommandTableTest.plausible(row.name, arity, arity < 0 ? row.step : 0);
      CommandEffect effect = Argv.classify(argv.toArray(new String[0]));
      assertEquals(Kind.WRITE, effect.kind(), argv.toString());
      assertEquals(getKeys(argv), Argv.keys(effect), argv.toString());
      compared++;
    }
    assertTrue(compared > 80, "compared only " + compared);
  }

  @Test
  void parsedWritesFindTheKeysTheServerWrites() {
    expect(List.of("d"), "SORT", "s", "BY", "w_*", "LIMIT", "0", "5", "GET", "#", "GET", "o_*",
        "DESC", "ALPHA", "STORE", "d");
    expect(List.of("d2"), "sort", "s", "store", "d1", "store", "d2");
    expect(List.of(), "SORT", "s", "GET", "#");
    expect(List.of("d"), "GEORADIUS", "g", "0", "0", "5", "km", "WITHDIST", "COUNT", "3", "ANY",
        "ASC", "STORE", "d");
    expect(List.of("d"), "GEORADIUS", "g", "0", "0", "5", "km", "STOREDIST", "d");
    expect(List.of("d"), "GEORADIUSBYMEMBER", "g", "m", "5", "km", "STORE", "d");
    expect(List.of(), "GEORADIUSBYMEMBER", "g", "m", "5", "km", "WITHCOORD");
    expect(List.of("d"), "ZUNIONSTORE", "d", "2", "a", "b", "WEIGHTS", "1", "2", "AGGREGATE", "MAX");
    expect(List.of("d"), "ZINTERSTORE", "d", "1", "a");
    expect(List.of("d"), "ZDIFFSTORE", "d", "2", "a", "b");
    expect(List.of("a", "b"), "LMPOP", "2", "a", "b", "LEFT", "COUNT", "2");
    expect(List.of("z"), "ZMPOP", "1", "z", "MIN");
    expect(List.of("a", "b"), "BLMPOP", "0", "2", "a", "b", "RIGHT");
    expect(List.of("z"), "BZMPOP", "0", "1", "z", "MAX", "COUNT", "1");
    expect(List.of("s1", "s2"), "XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "BLOCK", "0",
        "NOACK", "STREAMS", "s1", "s2", ">", ">");
    expect(List.of("k"), "MOVE", "k", "1");
    expect(List.of("b"), "COPY", "a", "b", "DB", "2", "REPLACE");
    expect(List.of("b"), "COPY", "a", "b");
    expect(List.of("h1", "h2"), "PFCOUNT", "h1", "h2");
    expect(List.of("k"), "GET", "k");
  }

  /** Our keys for argv (none: NONE) must be the server's, less keys it flags read-only. */
  private static void expect(List<String> keys, String... argv) {
    List<String> args = List.of(argv);
    CommandEffect effect = Argv.classify(argv);
    assertEquals(keys, Argv.keys(effect), args.toString());
    assertEquals(keys.isEmpty(), effect.kind() == Kind.NONE, args + " " + effect);
    if (!known(argv[0].toLowerCase())) {
      return;
    }
    List<String> serverKeys = getKeys(args);
    assertTrue(serverKeys.containsAll(keys), args + " server keys " + serverKeys);
    if (hasKeyFlags) {
      assertTrue(keys.containsAll(writtenKeys(args)), args + " server writes " + writtenKeys(args));
    }
  }

  private static boolean known(String name) {
    int bar = name.indexOf('|');
    return serverCommands.containsKey(bar < 0 ? name : name.substring(0, bar));
  }

  private static List<String> getKeys(List<String> argv) {
    List<String> call = new ArrayList<>(List.of("COMMAND", "GETKEYS"));
    call.addAll(argv);
    List<String> keys = new ArrayList<>();
    try {
      for (Object key : (List<?>) redis.call(call.toArray(new String[0]))) {
        keys.add((String) key);
      }
    } catch (RespErrorException e) {
      throw new AssertionError(argv + ": " + e.getMessage(), e);
    }
    return keys;
  }

  /** Keys Redis 7 flags as anything but a pure read (RW, OW, RM, insert, delete, update). */
  private static Set<String> writtenKeys(List<String> argv) {
    List<String> call = new ArrayList<>(List.of("COMMAND", "GETKEYSANDFLAGS"));
    call.addAll(argv);
    Set<String> written = new HashSet<>();
    try {
      for (Object entry : (List<?>) redis.call(call.toArray(new String[0]))) {
        List<?> pair = (List<?>) entry;
        if (!((List<?>) pair.get(1)).contains("RO")) {
          written.add((String) pair.get(0));
        }
      }
    } catch (RespErrorException noKeys) {
      // The command takes no keys in this form.
    }
    return written;
  }
}
