package io.redisl1.it.contract;

import java.time.Duration;

/**
 * What a client is opened as: its database, its ACL user (null for the default user) and how long
 * it waits for a reply. Entry points apply it the way an application configures them (client
 * config, RedisURI, connection factory), not by commands the contract sends.
 */
public record Scope(int db, String user, String password, Duration timeout) {
  /** Long enough for a loaded 2-core CI machine; only the timeout cases shorten it. */
  public static final Scope DEFAULT = new Scope(0, null, null, Duration.ofSeconds(10));

  public Scope db(int index) {
    return new Scope(index, user, password, timeout);
  }

  public Scope as(String name, String secret) {
    return new Scope(db, name, secret, timeout);
  }

  public Scope timeout(Duration wait) {
    return new Scope(db, user, password, wait);
  }
}
