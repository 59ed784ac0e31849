package io.redisl1.store.command;

import io.redisl1.store.command.CommandEffect.Kind;

/**
 * Key finding for the writes whose keys move with their options ({@code movablekeys}) and for the
 * commands that reach another db. Each parser accepts what the server's own parser accepts and
 * answers FLUSH_DB (FLUSH_ALL where another db is involved) for anything else.
 */
final class KeyedCommands {
  private KeyedCommands() {}

  /** {@code SORT key [BY p] [LIMIT o c] [GET p]... [ASC|DESC] [ALPHA] [STORE dest]}. */
  static CommandEffect sort(byte[][] argv) {
    if (argv.length < 2) {
      return Rules.flushDb();
    }
    byte[] dest = null;
    for (int i = 2; i < argv.length; i++) {
      byte[] arg = argv[i];
      int needs;
      if (Ascii.is(arg, "asc") || Ascii.is(arg, "desc") || Ascii.is(arg, "alpha")) {
        needs = 0;
      } else if (Ascii.is(arg, "by") || Ascii.is(arg, "get") || Ascii.is(arg, "store")) {
        needs = 1;
      } else if (Ascii.is(arg, "limit")) {
        needs = 2;
      } else {
        return Rules.flushDb();
      }
      if (i + needs >= argv.length) {
        return Rules.flushDb();
      }
      if (Ascii.is(arg, "store")) {
        dest = argv[i + 1]; // STORE may repeat; the server keeps the last
      }
      i += needs;
    }
    // The sorted key and the BY/GET patterns are only read.
    return dest == null ? Rules.none() : CommandEffect.write(new byte[][] {dest});
  }

  /** GEORADIUS(BYMEMBER) options from {@code optionsAt}: only STORE and STOREDIST write. */
  static CommandEffect geoRadius(byte[][] argv, int optionsAt) {
    if (argv.length < optionsAt) {
      return Rules.flushDb();
    }
    byte[] dest = null;
    for (int i = optionsAt; i < argv.length; i++) {
      byte[] arg = argv[i];
      if (Ascii.is(arg, "withdist") || Ascii.is(arg, "withhash") || Ascii.is(arg, "withcoord")
          || Ascii.is(arg, "any") || Ascii.is(arg, "asc") || Ascii.is(arg, "desc")) {
        continue;
      }
      boolean store = Ascii.is(arg, "store") || Ascii.is(arg, "storedist");
      if ((!store && !Ascii.is(arg, "count")) || i + 1 >= argv.length) {
        return Rules.flushDb();
      }
      i++;
      if (store) {
        dest = argv[i];
      }
    }
    return dest == null ? Rules.none() : CommandEffect.write(new byte[][] {dest});
  }

  /** {@code Z*STORE dest numkeys key...}: the sources are only read. */
  static CommandEffect storeFirst(byte[][] argv) {
    return argv.length >= 4 ? CommandEffect.write(new byte[][] {argv[1]}) : Rules.flushDb();
  }

  /** {@code [timeout] numkeys key... }: every key may be popped from. */
  static CommandEffect numKeys(byte[][] argv, int numKeysAt) {
    int count = numKeysAt < argv.length ? Ascii.index(argv[numKeysAt]) : -1;
    if (count <= 0 || count >= argv.length - numKeysAt) {
      return Rules.flushDb();
    }
    byte[][] keys = new byte[count][];
    System.arraycopy(argv, numKeysAt + 1, keys, 0, count);
    return CommandEffect.write(keys);
  }

  /** Same scan as Redis's xreadGetKeys: the streams named after STREAMS (their PEL changes). */
  static CommandEffect xreadgroup(byte[][] argv) {
    int streams = -1;
    for (int i = 1; i < argv.length; i++) {
      byte[] arg = argv[i];
      if (Ascii.is(arg, "block") || Ascii.is(arg, "count")) {
        i++;
      } else if (Ascii.is(arg, "group")) {
        i += 2;
      } else if (Ascii.is(arg, "streams")) {
        streams = i;
        break;
      } else if (!Ascii.is(arg, "noack")) {
        break;
      }
    }
    int rest = argv.length - streams - 1;
    if (streams < 0 || rest == 0 || rest % 2 != 0) {
      return Rules.flushDb();
    }
    byte[][] keys = new byte[rest / 2][];
    System.arraycopy(argv, streams + 1, keys, 0, keys.length);
    return CommandEffect.write(keys);
  }

  /** {@code MOVE key db}. */
  static CommandEffect move(byte[][] argv) {
    int db = argv.length == 3 ? Ascii.index(argv[2]) : -1;
    return db < 0 ? flushAll() : CommandEffect.writeOtherDb(argv[1], db);
  }

  /** {@code COPY src dst [DB db] [REPLACE]}. */
  static CommandEffect copy(byte[][] argv) {
    if (argv.length < 3) {
      return flushAll();
    }
    int db = -1;
    for (int i = 3; i < argv.length; i++) {
      if (Ascii.is(argv[i], "db") && i + 1 < argv.length) {
        db = Ascii.index(argv[++i]);
        if (db < 0) {
          return flushAll();
        }
      } else if (!Ascii.is(argv[i], "replace")) {
        return flushAll();
      }
    }
    byte[] dst = argv[2];
    return db < 0 ? CommandEffect.write(new byte[][] {dst}) : CommandEffect.writeOtherDb(dst, db);
  }

  /** {@code SWAPDB a b}. */
  static CommandEffect swapDb(byte[][] argv) {
    int a = argv.length == 3 ? Ascii.index(argv[1]) : -1;
    int b = argv.length == 3 ? Ascii.index(argv[2]) : -1;
    return a < 0 || b < 0 ? flushAll() : CommandEffect.swapDb(a, b);
  }

  private static CommandEffect flushAll() {
    return CommandEffect.of(Kind.FLUSH_ALL);
  }
}
