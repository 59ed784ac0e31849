package io.redisl1.store.command;

import static io.redisl1.store.command.Argv.classify;
import static io.redisl1.store.command.Argv.keys;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.redisl1.store.command.CommandEffect.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandEffectsTest {

  private static void assertKind(Kind kind, String... argv) {
    assertEquals(kind, classify(argv).kind(), () -> String.join(" ", argv));
  }

  private static void assertWrite(List<String> keys, String... argv) {
    CommandEffect effect = classify(argv);
    assertEquals(Kind.WRITE, effect.kind(), () -> String.join(" ", argv));
    assertEquals(keys, keys(effect), () -> String.join(" ", argv));
  }

  @Test
  void onlyPlainGetIsCacheable() {
    CommandEffect get = classify("GET", "user:1");
    assertEquals(Kind.CACHEABLE_READ, get.kind());
    assertEquals(List.of("user:1"), keys(get));
    assertKind(Kind.NONE, "GET", "a", "b");
    assertKind(Kind.NONE, "GET");
    assertKind(Kind.NONE, "MGET", "a", "b");
    assertKind(Kind.NONE, "GETRANGE", "a", "0", "1");
  }

  @Test
  void namesAndKeywordsIgnoreLetterCase() {
    assertKind(Kind.CACHEABLE_READ, "gEt", "k");
    assertWrite(List.of("k"), "set", "k", "v");
    assertWrite(List.of("k"), "SeT", "k", "v", "EX", "10");
    assertWrite(List.of("d"), "sort", "s", "store", "d");
    assertKind(Kind.LEAVES_REQUEST_REPLY, "client", "REPLY", "off");
    assertKind(Kind.NONE, "Client", "setNAME", "x");
  }

  @Test
  void fixedPositionWrites() {
    assertWrite(List.of("a", "b"), "DEL", "a", "b");
    assertWrite(List.of("a", "c"), "MSET", "a", "1", "c", "2");
    assertWrite(List.of("a", "b"), "RENAME", "a", "b");
    assertWrite(List.of("a"), "EXPIRE", "a", "10", "NX");
    assertWrite(List.of("d", "a", "b"), "BITOP", "AND", "d", "a", "b");
    assertWrite(List.of("s"), "XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
    assertWrite(List.of("a", "b"), "BLPOP", "a", "b", "0");
    // PFCOUNT rewrites the cardinality cached inside the HyperLogLog string.
    assertWrite(List.of("h"), "PFCOUNT", "h");
  }

  @Test
  void wrongArityOfAWriteIsConservative() {
    assertKind(Kind.FLUSH_DB, "DEL");
    assertKind(Kind.FLUSH_DB, "SET", "k");
    assertKind(Kind.FLUSH_DB, "RENAME", "a");
    assertKind(Kind.FLUSH_DB, "XGROUP");
    assertKind(Kind.FLUSH_DB, "XGROUP", "NOSUCHSUB", "s");
  }

  @Test
  void movableKeyWrites() {
    assertKind(Kind.NONE, "SORT", "s", "BY", "w_*", "LIMIT", "0", "5", "GET", "#", "DESC", "ALPHA");
    assertWrite(List.of("d2"), "SORT", "s", "STORE", "d1", "STORE", "d2");
    assertKind(Kind.FLUSH_DB, "SORT", "s", "STORE");
    assertKind(Kind.FLUSH_DB, "SORT", "s", "SOMEDAY");
    assertWrite(List.of("d"), "GEORADIUS", "g", "0", "0", "5", "km", "COUNT", "3", "ANY", "STORE", "d");
    assertWrite(List.of("d"), "GEORADIUSBYMEMBER", "g", "m", "5", "km", "STOREDIST", "d");
    assertKind(Kind.NONE, "GEORADIUS", "g", "0", "0", "5", "km", "WITHDIST", "ASC");
    assertWrite(List.of("d"), "ZUNIONSTORE", "d", "2", "a", "b", "WEIGHTS", "1", "2");
    assertWrite(List.of("a", "b"), "LMPOP", "2", "a", "b", "LEFT", "COUNT", "2");
    assertWrite(List.of("z"), "BZMPOP", "0.5", "1", "z", "MIN");
    assertKind(Kind.FLUSH_DB, "LMPOP", "3", "a", "b");
    assertKind(Kind.FLUSH_DB, "ZMPOP", "x", "a", "MIN");
    assertWrite(List.of("s1", "s2"),
        "XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "NOACK", "STREAMS", "s1", "s2", ">", ">");
    assertKind(Kind.FLUSH_DB, "XREADGROUP", "GROUP", "g", "c", "STREAMS", "s1", "s2", ">");
  }

  @Test
  void selectSwapdbMoveCopy() {
    CommandEffect select = classify("select", "3");
    assertEquals(Kind.SELECT, select.kind());
    assertEquals(3, select.db());
    assertKind(Kind.LEAVES_REQUEST_REPLY, "SELECT", "x");
    assertKind(Kind.LEAVES_REQUEST_REPLY, "SELECT", "-1");
    assertKind(Kind.LEAVES_REQUEST_REPLY, "SELECT", "01");
    assertKind(Kind.LEAVES_REQUEST_REPLY, "SELECT", "99999999999");
    assertKind(Kind.LEAVES_REQUEST_REPLY, "SELECT");

    CommandEffect swap = classify("SWAPDB", "0", "15");
    assertEquals(Kind.SWAP_DB, swap.kind());
    assertEquals(0, swap.db());
    assertEquals(15, swap.otherDb());
    assertKind(Kind.FLUSH_ALL, "SWAPDB", "0", "one");

    CommandEffect move = classify("MOVE", "k", "2");
    assertEquals(Kind.WRITE_OTHER_DB, move.kind());
    assertEquals(List.of("k"), keys(move));
    assertEquals(2, move.db());
    assertKind(Kind.FLUSH_ALL, "MOVE", "k", "two");

    CommandEffect copy = classify("COPY", "src", "dst", "db", "4", "REPLACE");
    assertEquals(Kind.WRITE_OTHER_DB, copy.kind());
    assertEquals(List.of("dst"), keys(copy));
    assertEquals(4, copy.db());
    assertWrite(List.of("dst"), "COPY", "src", "dst", "REPLACE");
    assertKind(Kind.FLUSH_ALL, "COPY", "src", "dst", "DB");
    assertKind(Kind.FLUSH_ALL, "COPY", "src", "dst", "DB", "x");
  }

  @Test
  void authAndHello() {
    assertEquals("default", classify("AUTH", "secret").user());
    CommandEffect auth = classify("auth", "alice", "secret");
    assertEquals(Kind.AUTH, auth.kind());
    assertEquals("alice", auth.user());
    assertKind(Kind.LEAVES_REQUEST_REPLY, "AUTH", "a", "b", "c");

    assertKind(Kind.NONE, "HELLO");
    assertKind(Kind.NONE, "HELLO", "3");
    assertKind(Kind.NONE, "HELLO", "3", "SETNAME", "app");
    CommandEffect hello = classify("HELLO", "3", "SETNAME", "app", "auth", "bob", "pw");
    assertEquals(Kind.AUTH, hello.kind());
    assertEquals("bob", hello.user());
    assertKind(Kind.LEAVES_REQUEST_REPLY, "HELLO", "3", "AUTH", "bob");
    assertKind(Kind.LEAVES_REQUEST_REPLY, "HELLO", "3", "SOMETHINGNEW");
    assertNull(classify("PING").user());
  }

  @Test
  void scriptsAndFunctions() {
    assertKind(Kind.FLUSH_ALL, "EVAL", "return 1", "0");
    assertKind(Kind.FLUSH_ALL, "evalsha", "abc", "1", "k");
    assertKind(Kind.FLUSH_ALL, "FCALL", "f", "0");
    assertKind(Kind.NONE, "EVAL_RO", "return 1", "0");
    assertKind(Kind.NONE, "EVALSHA_RO", "abc", "0");
    assertKind(Kind.NONE, "FCALL_RO", "f", "0");
    assertKind(Kind.NONE, "SCRIPT", "FLUSH");
    assertKind(Kind.NONE, "SCRIPT", "LOAD", "return 1");
    assertKind(Kind.NONE, "FUNCTION", "FLUSH");
    assertKind(Kind.LEAVES_REQUEST_REPLY, "SCRIPT", "DEBUG", "YES");
    assertKind(Kind.NONE, "SCRIPT", "DEBUG", "NO");
  }

  @Test
  void connectionModes() {
    assertKind(Kind.MULTI, "MULTI");
    assertKind(Kind.EXEC, "exec");
    assertKind(Kind.DISCARD, "DISCARD");
    assertKind(Kind.RESET, "RESET");
    assertKind(Kind.NONE, "WATCH", "a", "b");
    for (String leaves : new String[] {"SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE", "MONITOR", "SYNC"}) {
      assertKind(Kind.LEAVES_REQUEST_REPLY, leaves, "c");
    }
    assertKind(Kind.LEAVES_REQUEST_REPLY, "PSYNC", "?", "-1");
    assertKind(Kind.LEAVES_REQUEST_REPLY, "REPLICAOF", "h", "6379");
    assertKind(Kind.LEAVES_REQUEST_REPLY, "CLIENT", "REPLY", "SKIP");
    assertKind(Kind.NONE, "CLIENT", "REPLY", "ON");
    assertKind(Kind.LEAVES_REQUEST_REPLY, "CLIENT", "TRACKING", "on", "BCAST");
    assertKind(Kind.NONE, "CLIENT", "TRACKING", "OFF");
    assertKind(Kind.NONE, "CLIENT", "SETINFO", "LIB-NAME", "jedis");
  }

  @Test
  void flushesAndAdmin() {
    assertKind(Kind.FLUSH_DB, "FLUSHDB", "ASYNC");
    assertKind(Kind.FLUSH_ALL, "FLUSHALL");
    assertKind(Kind.FLUSH_ALL, "MIGRATE", "h", "6379", "k", "0", "1000", "COPY");
    assertKind(Kind.FLUSH_ALL, "DEBUG", "RELOAD");
    assertKind(Kind.NONE, "DEBUG", "OBJECT", "k");
    assertKind(Kind.FLUSH_DB, "RESTORE-ASKING", "k", "0", "payload");
    for (String none : new String[] {"PING", "INFO", "DBSIZE", "TIME", "ECHO", "SCAN", "KEYS"}) {
      assertKind(Kind.NONE, none, "x");
    }
    assertKind(Kind.NONE, "CONFIG", "SET", "maxmemory", "1gb");
    assertKind(Kind.NONE, "OBJECT", "ENCODING", "k");
    assertKind(Kind.NONE, "XINFO", "STREAM", "s");
    assertKind(Kind.NONE, "MEMORY", "USAGE", "k");
    assertKind(Kind.NONE, "COMMAND");
    assertKind(Kind.NONE, "COMMAND", "GETKEYS", "SET", "k", "v");
    assertKind(Kind.FLUSH_DB, "CONFIG");
    assertKind(Kind.FLUSH_DB, "OBJECT", "SOMETHINGNEW", "k");
  }

  @Test
  void unknownAndMalformedInputIsConservativeAndNeverThrows() {
    assertKind(Kind.FLUSH_DB, "JSON.SET", "k", "$", "1");
    assertKind(Kind.FLUSH_DB, "HSETEX", "k", "EX", "10", "FIELDS", "1", "f", "v");
    assertKind(Kind.FLUSH_DB, "");
    // "client|kill" names a subcommand in COMMAND's reply but is no command on the wire.
    assertKind(Kind.FLUSH_DB, "client|kill", "x");
    assertEquals(Kind.FLUSH_DB, CommandEffects.classify(null).kind());
    assertEquals(Kind.FLUSH_DB, CommandEffects.classify(new byte[0][]).kind());
    assertEquals(Kind.FLUSH_DB, CommandEffects.classify(new byte[][] {null}).kind());
    assertEquals(Kind.FLUSH_DB,
        CommandEffects.classify(new byte[][] {"GET".getBytes(), null}).kind());
  }
}
