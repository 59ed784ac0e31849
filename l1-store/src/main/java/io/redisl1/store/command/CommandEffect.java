package io.redisl1.store.command;

import java.nio.charset.StandardCharsets;

/**
 * What one command does to the L1, as decided by {@link CommandEffects#classify}. Immutable. The
 * keys are the very arrays of the classified argv, not copies: callers must not change them.
 */
public final class CommandEffect {

  public enum Kind {
    /** No effect on the keyspace or on how the connection is tracked. */
    NONE,
    /** Exactly {@code GET key}; {@link #key(int) key(0)} is the key read. */
    CACHEABLE_READ,
    /**
     * May modify the listed keys, all in the connection's current db, and no others. Commands with
     * fixed key positions list every key, also those only read (SINTERSTORE's sources, BITOP's);
     * parsed ones (SORT, GEORADIUS, Z*STORE, COPY) list only what they write.
     */
    WRITE,
    /**
     * {@code MOVE key db} or {@code COPY src dst DB db}: every listed key may have changed both in
     * the current db and in {@link #db()}. MOVE lists its key (gone here, created there); COPY lists
     * only dst (src is only read), which is invalidated in the current db too for simplicity.
     */
    WRITE_OTHER_DB,
    /** May write keys of the current db that cannot be named: drop everything cached for it. */
    FLUSH_DB,
    /** May write keys of any db: drop everything cached for this server. */
    FLUSH_ALL,
    /** {@code SWAPDB db otherDb}: the contents of the two dbs trade places. */
    SWAP_DB,
    /** {@code SELECT db}: later commands of this connection run in {@link #db()}. */
    SELECT,
    /** {@code AUTH} or {@code HELLO ... AUTH}: the connection may now act as {@link #user()}. */
    AUTH,
    /** {@code RESET}: db 0, user "default", out of MULTI, no subscriptions, no tracking. */
    RESET,
    MULTI,
    EXEC,
    DISCARD,
    /**
     * From now on the connection cannot be trusted by the L1: replies no longer pair one to one
     * with requests, the server pushes out-of-band data, its dataset gets replaced by replication,
     * or we could not parse a command that changes connection state (SELECT, AUTH, HELLO).
     */
    LEAVES_REQUEST_REPLY
  }

  private static final byte[][] NO_KEYS = new byte[0][];
  private static final CommandEffect[] SIMPLE = new CommandEffect[Kind.values().length];

  static {
    for (Kind kind : Kind.values()) {
      SIMPLE[kind.ordinal()] = new CommandEffect(kind, NO_KEYS, -1, -1, null);
    }
  }

  private final Kind kind;
  private final byte[][] keys;
  private final int db;
  private final int otherDb;
  private final String user;

  private CommandEffect(Kind kind, byte[][] keys, int db, int otherDb, String user) {
    this.kind = kind;
    this.keys = keys;
    this.db = db;
    this.otherDb = otherDb;
    this.user = user;
  }

  /** A shared instance for kinds that carry nothing but the kind. */
  static CommandEffect of(Kind kind) {
    return SIMPLE[kind.ordinal()];
  }

  static CommandEffect read(byte[] key) {
    return new CommandEffect(Kind.CACHEABLE_READ, new byte[][] {key}, -1, -1, null);
  }

  static CommandEffect write(byte[][] keys) {
    return new CommandEffect(Kind.WRITE, keys, -1, -1, null);
  }

  static CommandEffect writeOtherDb(byte[] key, int db) {
    return new CommandEffect(Kind.WRITE_OTHER_DB, new byte[][] {key}, db, -1, null);
  }

  static CommandEffect swapDb(int db, int otherDb) {
    return new CommandEffect(Kind.SWAP_DB, NO_KEYS, db, otherDb, null);
  }

  static CommandEffect select(int db) {
    return new CommandEffect(Kind.SELECT, NO_KEYS, db, -1, null);
  }

  static CommandEffect auth(byte[] user) {
    return new CommandEffect(Kind.AUTH, NO_KEYS, -1, -1, new String(user, StandardCharsets.UTF_8));
  }

  static CommandEffect authDefault() {
    return new CommandEffect(Kind.AUTH, NO_KEYS, -1, -1, "default");
  }

  public Kind kind() {
    return kind;
  }

  /** Keys modified (WRITE, WRITE_OTHER_DB) or read (CACHEABLE_READ); 0 for other kinds. */
  public int keyCount() {
    return keys.length;
  }

  public byte[] key(int i) {
    return keys[i];
  }

  /** SELECT target, MOVE/COPY target db, SWAPDB first index; -1 for other kinds. */
  public int db() {
    return db;
  }

  /** SWAPDB second index; -1 for other kinds. */
  public int otherDb() {
    return otherDb;
  }

  /** The user an AUTH kind authenticates as; null for other kinds. */
  public String user() {
    return user;
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(kind.name());
    for (byte[] key : keys) {
      out.append(' ').append(new String(key, StandardCharsets.UTF_8));
    }
    if (db >= 0) {
      out.append(" db=").append(db);
    }
    if (otherDb >= 0) {
      out.append(" otherDb=").append(otherDb);
    }
    if (user != null) {
      out.append(" user=").append(user);
    }
    return out.toString();
  }
}
