package io.redisl1.store.session;

import io.redisl1.store.Keyspace;
import io.redisl1.store.L1Store;
import io.redisl1.store.command.CommandEffect;

/**
 * The invalidations a write sends and repeats when its reply arrives, bound to the server the
 * write went to. Each one is a {@link Runnable} so it can run again later (after the reply, or
 * after EXEC); those that reach "every database" list the server's keyspaces each time they run,
 * so a database first cached in between is covered too.
 */
final class Invalidations {
  private final L1Store store;
  private final String endpoint;

  Invalidations(L1Store store, String endpoint) {
    this.store = store;
    this.endpoint = endpoint;
  }

  /** The written keys in database {@code db}, and in {@code otherDb} unless it is negative. */
  Runnable keys(CommandEffect effect, int db, int otherDb) {
    byte[][] keys = keysOf(effect);
    Keyspace current = store.keyspace(endpoint, db);
    Keyspace other = otherDb >= 0 ? store.keyspace(endpoint, otherDb) : null;
    return () -> {
      invalidate(current, keys);
      if (other != null) {
        invalidate(other, keys);
      }
    };
  }

  /** The written keys in every database of the server: where the write ran is not known. */
  Runnable keysEverywhere(CommandEffect effect) {
    byte[][] keys = keysOf(effect);
    return () -> {
      for (Keyspace keyspace : store.keyspacesOf(endpoint)) {
        invalidate(keyspace, keys);
      }
    };
  }

  /** Everything cached for database {@code db}, and for {@code otherDb} unless it is negative. */
  Runnable databases(int db, int otherDb) {
    Keyspace first = store.keyspace(endpoint, db);
    Keyspace second = otherDb >= 0 ? store.keyspace(endpoint, otherDb) : null;
    return () -> {
      store.flush(first);
      if (second != null) {
        store.flush(second);
      }
    };
  }

  /** Everything cached for the server. */
  Runnable server() {
    String ep = endpoint;
    return () -> store.flushEndpoint(ep);
  }

  private void invalidate(Keyspace keyspace, byte[][] keys) {
    for (byte[] key : keys) {
      store.invalidate(keyspace, key);
    }
  }

  private static byte[][] keysOf(CommandEffect effect) {
    byte[][] keys = new byte[effect.keyCount()][];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = effect.key(i);
    }
    return keys;
  }
}
