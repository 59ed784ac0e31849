package io.redisl1.store.stress;

import java.util.Arrays;

/**
 * The one thing about Redis that the stale-fill guard depends on: a single thread applies commands
 * one at a time, so every command has a place in one order. Each key holds the number of the last
 * command that wrote it (a SET, or a FLUSHDB that deleted it), so a reply's age can be compared
 * with what a writer was acknowledged. The store itself is real; only the server's order is
 * reduced to these three atomic steps so that a model checker can explore every interleaving of
 * the client-side calls around them.
 */
final class ServerOrder {
  private final long[] versions;
  private long lastCommand;

  ServerOrder(int keys) {
    versions = new long[keys];
  }

  /** GET: the version the reply carries. */
  synchronized long get(int key) {
    return versions[key];
  }

  /** SET: the version it wrote. */
  synchronized long set(int key) {
    return versions[key] = ++lastCommand;
  }

  /** FLUSHDB: every key is deleted by this command; the version of that deletion. */
  synchronized long flush() {
    Arrays.fill(versions, ++lastCommand);
    return lastCommand;
  }
}
