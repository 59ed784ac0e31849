package io.redisl1.it.contract;

import java.util.List;

/**
 * An application's handle on Redis through one client entry point (a Jedis, a pool, a Lettuce
 * API style, a Spring template), reduced to what the contract needs. Each method uses the entry
 * point's own natural API for it. A method the entry point has no form for calls {@link
 * org.junit.jupiter.api.Assumptions#abort} naming why, so the case using it is reported skipped
 * with that reason, never silently passed.
 *
 * <p>Replies come back as the RESP value: bulk and status replies as {@code String}, integers as
 * {@code Long}, arrays as {@code List}. An error reply is thrown as the client's own exception
 * from single calls, and returned as that exception in the lists of {@link #pipeline} and {@link
 * #transaction}.
 */
public interface Client extends AutoCloseable {
  /** GET through the typed API: the path the L1 answers. */
  String get(String key);

  /** SET through the typed API. */
  String set(String key, String value);

  /** DEL through the typed API. */
  long del(String key);

  /** One command through the entry point's API for commands it has no method for, awaited. */
  Object call(String... argv);

  /** EVAL through the typed API. */
  Object eval(String script, List<String> keys, List<String> args);

  /**
   * Commands written before any of their replies is read: a Jedis pipeline, a Lettuce batch, a
   * Spring pipelined callback. Returns once every reply has arrived.
   */
  List<Object> pipeline(List<String[]> commands);

  /** MULTI, the commands, EXEC: EXEC's results. */
  List<Object> transaction(List<String[]> commands);

  /** SELECT on this handle's connection, awaited; only where the handle owns one connection. */
  void select(int db);

  /** AUTH as {@code user} on this handle's connection, awaited; only where it owns one. */
  void auth(String user, String password);

  /** Sends a command without waiting for its reply; only where the API has that form. */
  Pending send(String... argv);

  /**
   * True when the handle is one connection the application holds (so SELECT and AUTH last); false
   * for pools and templates, whose next call may run on another connection.
   */
  boolean ownsOneConnection();

  /** True when one handle may be used by several threads at once. */
  boolean threadSafe();

  @Override
  void close();

  /** A reply still to come. */
  interface Pending {
    Object await();
  }
}
